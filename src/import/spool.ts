import type { ByteSource } from "./source";

/** An uploaded file kept outside memory while it is imported (a temporary file on Node). */
export type SpooledUpload = {
  source: ByteSource;
  /** SHA-256 of the file, computed while it arrived. */
  sha256: string;
  /** Bytes of the file (the multipart part, not the whole form). */
  size: number;
  fileName: string | null;
  /** The temporary file itself, for a reader elsewhere (the import's own thread on Node). */
  path?: string;
  /** Removes the temporary copy; safe to call more than once. */
  dispose(): Promise<void>;
};

/** How a spooler refuses a body, in the caller's words (the route's error codes and messages). */
export type UploadRefusals = {
  /** The body passed the size limit while it was read (a chunked body, or a wrong Content-Length). */
  tooLarge: () => Error;
  /** A multipart body that does not parse. */
  malformed: () => Error;
  /** A multipart body without the file field. */
  missingFile: () => Error;
};

/**
 * Reads a request body as it arrives into temporary storage: a raw body whole, a multipart form's
 * `fileField` part alone. Given by runtimes with a file system (Node); without one, an upload is
 * read into memory and bounded by the body limit.
 */
export type UploadSpooler = (
  request: Request,
  options: {
    maxBytes: number;
    fileField: string;
    refusals: UploadRefusals;
    /** The runtime's own request stream when the entry passes it (Node: the IncomingMessage), read instead of `request.body`. */
    nodeBody?: unknown;
  },
) => Promise<SpooledUpload>;
