// `gna lint -`: the source from standard input, capped like a file (walk.ts).
import { MAX_SOURCE_BYTES } from './walk';

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin, maxBytes = MAX_SOURCE_BYTES): Promise<{ text: string } | { problem: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) return { problem: `standard input is larger than ${maxBytes / (1024 * 1024)} MiB` };
    chunks.push(b);
  }
  let text = Buffer.concat(chunks).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}
