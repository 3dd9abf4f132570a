import fs from 'node:fs';
import path from 'node:path';
import nacl from 'tweetnacl';
import { writeFileAtomic } from './files';

/**
 * Files in the data directory encrypted with the data key (XSalsa20-Poly1305
 * secretbox): users' tokens and opened client secrets of later issues.
 * Each client (workstation) has its own folder, so their data stays apart.
 * Layout of a file: 24-byte nonce ‖ secretbox.
 */
export class Vault {
  constructor(
    private readonly root: string,
    private readonly dataKey: Uint8Array,
  ) {}

  private file(clientId: string, name: string): string {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(clientId) || !/^[A-Za-z0-9_.-]{1,120}$/.test(name) || name.startsWith('.')) {
      throw new Error('Invalid vault entry name.');
    }
    return path.join(this.root, clientId, `${name}.sealed`);
  }

  write(clientId: string, name: string, plaintext: Uint8Array): void {
    const nonce = nacl.randomBytes(nacl.secretbox.nonceLength);
    const box = nacl.secretbox(plaintext, nonce, this.dataKey);
    const data = new Uint8Array(nonce.length + box.length);
    data.set(nonce);
    data.set(box, nonce.length);
    writeFileAtomic(this.file(clientId, name), data);
  }

  read(clientId: string, name: string): Uint8Array | null {
    let data: Buffer;
    try {
      data = fs.readFileSync(this.file(clientId, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const bytes = new Uint8Array(data);
    const opened = nacl.secretbox.open(bytes.subarray(nacl.secretbox.nonceLength), bytes.subarray(0, nacl.secretbox.nonceLength), this.dataKey);
    if (!opened) throw new Error(`Vault entry ${clientId}/${name} does not open with this runner's data key.`);
    return opened;
  }

  list(clientId: string): string[] {
    try {
      return fs
        .readdirSync(path.join(this.root, clientId))
        .filter((f) => f.endsWith('.sealed'))
        .map((f) => f.slice(0, -'.sealed'.length));
    } catch {
      return [];
    }
  }

  /** The clients (workstations, and the runner's own folder) that have a folder here. */
  clients(): string[] {
    try {
      return fs.readdirSync(this.root, { withFileTypes: true }).filter((d) => d.isDirectory() && /^[A-Za-z0-9_-]{1,80}$/.test(d.name)).map((d) => d.name);
    } catch {
      return [];
    }
  }

  /** Deletes one entry; true if it existed. */
  delete(clientId: string, name: string): boolean {
    try {
      fs.rmSync(this.file(clientId, name));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** Deletes everything kept for one client. */
  deleteClient(clientId: string): void {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(clientId)) throw new Error('Invalid client id.');
    fs.rmSync(path.join(this.root, clientId), { recursive: true, force: true });
  }
}
