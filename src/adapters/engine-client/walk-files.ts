// Every file under a dataset path, as the master sees it (a file path yields itself). Directories
// the master has not listed yet are listed from the UFS by the master on the way.
import type { FileStatus } from '../../api/engine-rpc.js';
import type { MasterClient } from './master-client.js';

export async function walkFiles(master: MasterClient, path: string): Promise<FileStatus[]> {
  const files: FileStatus[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await master.getStatus(p);
    if (st.kind === 'file') { files.push(st); return; }
    for (const e of (await master.listStatus(p)).entries) await walk(e.path);
  };
  await walk(path);
  return files;
}
