import type { ImportKind } from "../../db/schema";
import { agreedVolumesKind } from "./agreed-volumes";
import { batchesKind } from "./batches";
import { pricesKind } from "./prices";
import { regionsKind } from "./regions";
import type { KindSpec } from "./types";
import { volumesKind } from "./volumes";

// biome-ignore lint/suspicious/noExplicitAny: each kind has its own record and context types; the table holds them all.
export const KINDS: Record<ImportKind, KindSpec<any, any>> = {
  batches: batchesKind,
  regions: regionsKind,
  prices: pricesKind,
  volumes: volumesKind,
  agreedVolumes: agreedVolumesKind,
};
