// Growing typed arrays (the hot paths keep rows and offsets in typed arrays, not in arrays of objects).

type TypedArray = Int8Array | Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

/** A new array of the same kind and length `n` (≥ a.length) whose first elements are a's. */
export function grown<T extends TypedArray>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** `a` when it holds at least `need` elements, else a grown copy of at least twice its length. */
export function withRoom<T extends TypedArray>(a: T, need: number): T {
  return need <= a.length ? a : grown(a, Math.max(need, a.length * 2));
}
