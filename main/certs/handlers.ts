import type { ServiceHandlers } from '../contract/handlers.ts';
import type { CertsService } from './service.ts';

// The contract's certs names onto the certs service.
export function certsHandlers(certs: CertsService): ServiceHandlers<'certs'> {
  return {
    methods: {
      'certs.ca': () => certs.state(),
      'certs.createCa': (p) => certs.createCa(p),
      'certs.adoptCa': (p) => certs.adoptCa(p.dir),
      'certs.issue': (p) => certs.issue(p),
      'certs.signCsr': (p) => certs.signCsr(p),
      'certs.list': (p) => certs.list(p.expiringWithinDays),
      'certs.renew': (p) => certs.renew(p),
      'certs.remove': (p) => certs.remove(p.id, p.deleteFiles),
      'certs.pem': (p) => certs.pem(p.id),
      'certs.deleteCa': () => certs.deleteCa(),
      'certs.trustStatus': (p) => certs.trustStatus(p.scope),
      'certs.checkNames': (p) => certs.checkNames(p.names),
      'certs.reveal': (p) => certs.reveal(p.id),
      'certs.acmeState': () => certs.acmeState(),
      'certs.acmeStart': (p) => certs.acmeStart(p),
      'certs.acmeStop': () => certs.acmeStop(),
      'certs.acmeRevoke': (p) => certs.acmeRevoke(p.id),
      'certs.acmeClients': (p) => certs.acmeClients(p.url, p.name),
    },
    streams: {
      'certs.trust': (p, emit) => certs.trust(p.action, p.scope, p.stores, emit),
    },
    dispose: () => certs.close(),
  };
}
