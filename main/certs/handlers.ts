import type { MethodHandlers, StreamHandlerTable } from '../host/host.ts';
import type { CertsOptions, CertsService } from './service.ts';

type CertsMethod = 'certs.ca' | 'certs.createCa' | 'certs.adoptCa' | 'certs.issue' | 'certs.signCsr' | 'certs.list' | 'certs.renew' | 'certs.remove' | 'certs.pem' | 'certs.deleteCa' | 'certs.trustStatus' | 'certs.checkNames' | 'certs.reveal';

export function certsHandlers(options: CertsOptions): { methods: Pick<MethodHandlers, CertsMethod>; streams: Pick<StreamHandlerTable, 'certs.trust'> } {
  // Loaded on first use: the X.509 and ASN.1 libraries cost every other command's start-up ~100 ms otherwise.
  let loaded: Promise<CertsService> | null = null;
  const service = () => (loaded ??= import('./service.ts').then((m) => new m.CertsService(options)));
  return {
    methods: {
      'certs.ca': async () => (await service()).state(),
      'certs.createCa': async (p) => (await service()).createCa(p),
      'certs.adoptCa': async (p) => (await service()).adoptCa(p.dir),
      'certs.issue': async (p) => (await service()).issue(p),
      'certs.signCsr': async (p) => (await service()).signCsr(p),
      'certs.list': async (p) => (await service()).list(p.expiringWithinDays),
      'certs.renew': async (p) => (await service()).renew(p),
      'certs.remove': async (p) => (await service()).remove(p.id, p.deleteFiles),
      'certs.pem': async (p) => (await service()).pem(p.id),
      'certs.deleteCa': async () => (await service()).deleteCa(),
      'certs.trustStatus': async (p) => (await service()).trustStatus(p.scope),
      'certs.checkNames': async (p) => (await service()).checkNames(p.names),
      'certs.reveal': async (p) => (await service()).reveal(p.id),
    },
    streams: {
      'certs.trust': async (p, emit) => (await service()).trust(p.action, p.scope, p.stores, emit),
    },
  };
}
