/**
 * The bytes an answer was built from, when its handler had them already (a read thread's JSON):
 * the cache middleware hashes them for the ETag instead of reading the answer's body back through
 * a stream and copying it, which the event loop did for every search and product answer.
 */
const bytesOf = new WeakMap<Response, Uint8Array<ArrayBuffer>>();

export function rememberAnswerBytes(res: Response, bytes: Uint8Array<ArrayBuffer>): void {
  bytesOf.set(res, bytes);
}

/** The bytes of this very answer, if it was built from bytes kept by rememberAnswerBytes. */
export const answerBytesOf = (res: Response): Uint8Array<ArrayBuffer> | undefined => bytesOf.get(res);
