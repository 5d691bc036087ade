// Factory: one Ufs per EngineMount, chosen by the mount point's scheme. This is the only entry the
// engine (master, worker, fuse) needs; it never sees which connector it got.
import type { EngineMount } from '../../api/engine-config.js';
import { parseMountPoint } from '../../core/ufs/mount-uri.js';
import type { Ufs } from '../../core/ufs/ufs.js';
import { resolveS3Settings } from '../../core/ufs/s3-options.js';
import { UfsConfigError } from '../../core/ufs/ufs-errors.js';
import { readSecretFile } from './internal/read-secret.js';
import { HttpUfs } from './http-ufs.js';
import { LocalUfs } from './local-ufs.js';
import { S3Ufs } from './s3-ufs.js';

export interface CreateUfsOptions {
  /**
   * Reads one encryptOptionFiles entry (a 0600 file path) and returns the secret value.
   * Default: read the file as UTF-8 and drop one trailing newline.
   */
  readSecret?: (path: string) => string;
}

/**
 * Builds the connector for `mount`. Throws UfsConfigError for an unknown scheme or unusable
 * options; the message names the option, never a secret value. Does no network I/O itself.
 */
export function createUfs(mount: EngineMount, opts: CreateUfsOptions = {}): Ufs {
  const target = parseMountPoint(mount.mountPoint);
  switch (target.scheme) {
    case 'local':
      return new LocalUfs(target.dir);
    case 'http':
    case 'https':
      return new HttpUfs({ baseUrl: target.baseUrl });
    case 's3':
    case 's3a':
    case 'oss': {
      const readSecret = opts.readSecret ?? readSecretFile;
      const files = mount.encryptOptionFiles ?? {};
      const settings = resolveS3Settings(target.scheme, {
        options: mount.options ?? {},
        secretNames: new Set(Object.keys(files)),
        secret: (name) => {
          const file = files[name];
          if (file === undefined) throw new UfsConfigError(`encryptOptions ${name}: no secret file`);
          return readSecret(file);
        },
      });
      return new S3Ufs({ scheme: target.scheme, bucket: target.bucket, prefix: target.prefix, settings });
    }
  }
}
