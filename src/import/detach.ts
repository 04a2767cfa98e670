const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A copy of `s` that shares no memory with the text it was cut from. A CSV cell is a slice of the
 * decoded piece of the file it came from, and V8 keeps the whole piece alive while any slice of it
 * lives: a cell kept for the whole import (a duplicate-row key, a cached name) would otherwise
 * keep the whole file in memory.
 */
export function detach(s: string): string {
  return decoder.decode(encoder.encode(s));
}
