import type { MethodHandlers, StreamHandlerTable } from '../host/host.ts';
import { CertsService, type CertsOptions } from './service.ts';

type CertsMethod = 'certs.ca' | 'certs.createCa' | 'certs.adoptCa' | 'certs.issue' | 'certs.signCsr' | 'certs.list' | 'certs.renew' | 'certs.remove' | 'certs.pem' | 'certs.deleteCa' | 'certs.trustStatus';

export function certsHandlers(options: CertsOptions): { methods: Pick<MethodHandlers, CertsMethod>; streams: Pick<StreamHandlerTable, 'certs.trust'> } {
  const service = new CertsService(options);
  return {
    methods: {
      'certs.ca': () => service.state(),
      'certs.createCa': (p) => service.createCa(p),
      'certs.adoptCa': (p) => service.adoptCa(p.dir),
      'certs.issue': (p) => service.issue(p),
      'certs.signCsr': (p) => service.signCsr(p),
      'certs.list': (p) => service.list(p.expiringWithinDays),
      'certs.renew': (p) => service.renew(p),
      'certs.remove': (p) => service.remove(p.id, p.deleteFiles),
      'certs.pem': (p) => service.pem(p.id),
      'certs.deleteCa': () => service.deleteCa(),
      'certs.trustStatus': () => service.trustStatus(),
    },
    streams: {
      'certs.trust': (p, emit) => service.trust(p.action, p.scope, p.stores, emit),
    },
  };
}
