// The attention mask (GNA-SPEC §4): a query attends a key iff every axis allows it. The
// per-query neighbourhood is what the previews draw; the whole mask as a bitset is for problems
// small enough to draw and for brute-force checks.

import { axesOf, GnaProblem, product } from './problem';
import { axisNeighborhood } from './window';

/** Row-major strides of a layout: `flat = Σ coord[i] · strides[i]`. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i];
  }
  return strides;
}

export function unflatten(flat: number, shape: readonly number[]): number[] {
  const coord = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    coord[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return coord;
}

export function flatten(coord: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < shape.length; i++) flat = flat * shape[i] + coord[i];
  return flat;
}

/** Per-axis key sets of one query: coordinates `first, first + step, …, last`. */
export interface Neighborhood {
  readonly first: readonly number[];
  readonly last: readonly number[];
  readonly step: readonly number[];
}

export function neighborhoodOf(problem: GnaProblem, query: readonly number[]): Neighborhood {
  const axes = axesOf(problem).map((axis, i) => axisNeighborhood(query[i], axis));
  return { first: axes.map((a) => a.first), last: axes.map((a) => a.last), step: axes.map((a) => a.step) };
}

/** Number of keys the query attends. */
export function neighborhoodSize(nb: Neighborhood): number {
  return product(nb.first.map((f, i) => (nb.last[i] - f) / nb.step[i] + 1));
}

/** Flattened indices of the keys a query attends, ascending. */
export function neighborhoodKeys(problem: GnaProblem, query: readonly number[]): number[] {
  const nb = neighborhoodOf(problem, query);
  const strides = rowMajorStrides(problem.inputSize);
  const keys: number[] = [];
  const visit = (axis: number, base: number): void => {
    for (let x = nb.first[axis]; x <= nb.last[axis]; x += nb.step[axis]) {
      const flat = base + x * strides[axis];
      if (axis === problem.inputSize.length - 1) keys.push(flat);
      else visit(axis + 1, flat);
    }
  };
  visit(0, 0);
  return keys;
}

/** Problems with more mask bits than this are not materialised (256×256 is 2^32 bits). */
export const MAX_MASK_BITS = 2 ** 28;

/** The whole N×N mask, row = query, as a packed bitset. */
export class MaskBits {
  readonly tokens: number;
  private readonly words: Uint32Array;

  constructor(tokens: number) {
    if (tokens * tokens > MAX_MASK_BITS) {
      throw new RangeError(`A mask of ${tokens}×${tokens} is too large to materialise (limit ${MAX_MASK_BITS} bits).`);
    }
    this.tokens = tokens;
    this.words = new Uint32Array(Math.ceil((tokens * tokens) / 32));
  }

  get(q: number, kv: number): boolean {
    const bit = q * this.tokens + kv;
    return (this.words[bit >>> 5] & (1 << (bit & 31))) !== 0;
  }

  set(q: number, kv: number): void {
    const bit = q * this.tokens + kv;
    this.words[bit >>> 5] |= 1 << (bit & 31);
  }

  /** Number of attended pairs. */
  count(): number {
    let c = 0;
    for (const w of this.words) c += popcount(w);
    return c;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Materialise the whole mask; throws RangeError above MAX_MASK_BITS (check `canMaterialise`). */
export function fullMask(problem: GnaProblem): MaskBits {
  const shape = problem.inputSize;
  const tokens = product(shape);
  const mask = new MaskBits(tokens);
  for (let q = 0; q < tokens; q++) {
    for (const kv of neighborhoodKeys(problem, unflatten(q, shape))) mask.set(q, kv);
  }
  return mask;
}

export function canMaterialise(problem: GnaProblem): boolean {
  const tokens = product(problem.inputSize);
  return tokens * tokens <= MAX_MASK_BITS;
}
