// Reads a zip archive's entries (a .vsix): names from the central directory, contents inflated on
// demand. Enough for the package checks; no zip64, no encryption.
import { readFileSync } from 'fs';
import { inflateRawSync } from 'zlib';

export interface ZipArchive {
  readonly names: readonly string[];
  read(name: string): Buffer;
}

export function openZip(path: string): ZipArchive {
  const data = readFileSync(path);
  const eocd = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${path} is not a zip archive`);
  const count = data.readUInt16LE(eocd + 10);
  const entries = new Map<string, { method: number; size: number; local: number }>();
  let p = data.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (data.readUInt32LE(p) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${i}`);
    const nameLength = data.readUInt16LE(p + 28);
    const name = data.toString('utf8', p + 46, p + 46 + nameLength);
    entries.set(name, { method: data.readUInt16LE(p + 10), size: data.readUInt32LE(p + 20), local: data.readUInt32LE(p + 42) });
    p += 46 + nameLength + data.readUInt16LE(p + 30) + data.readUInt16LE(p + 32);
  }
  return {
    names: [...entries.keys()],
    read(name) {
      const e = entries.get(name);
      if (!e) throw new Error(`${path} has no ${name}`);
      const start = e.local + 30 + data.readUInt16LE(e.local + 26) + data.readUInt16LE(e.local + 28);
      const raw = data.subarray(start, start + e.size);
      return e.method === 0 ? Buffer.from(raw) : inflateRawSync(raw);
    },
  };
}
