import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SluiceError } from '../../contract/errors.ts';

/**
 * Starts `server` listening on 127.0.0.1:`port` (0: any free port) and resolves with the port. A
 * port that cannot be taken is a message naming it and the option that chooses another, the same
 * for every server Sluice starts (`what`: `the S3 endpoint (--s3-port N)`), never a stack trace:
 * a `listen` failure is an 'error' event, which crashes the process when nothing listens for it.
 */
export function listenOnLocalhost(server: Server, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new SluiceError('PORT_IN_USE', `port ${port} on 127.0.0.1 is in use: choose another for ${what}`, { cause: error, permanent: true }));
      else if (error.code === 'EACCES') reject(new SluiceError('PORT_DENIED', `port ${port} on 127.0.0.1 cannot be opened (permission denied): choose another, above 1023, for ${what}`, { cause: error, permanent: true }));
      else reject(error);
    };
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
