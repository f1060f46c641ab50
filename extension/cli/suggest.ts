// "Did you mean …?" for mistyped flags and commands (rule codes: lint/suppress.ts).
import { nearest } from '../lint/suppress';

/** ` (did you mean --select?)`, or '' when nothing is near. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const near = nearest(word, candidates);
  return near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : '';
}
