import type { ImportKind } from "../../db/schema";
import { agreedVolumesKind } from "./agreed-volumes";
import { batchesKind } from "./batches";
import { pricesKind } from "./prices";
import { regionsKind } from "./regions";
import type { KindSpec } from "./types";
import { volumesKind } from "./volumes";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const KINDS: Record<ImportKind, KindSpec<any, any>> = {
  batches: batchesKind,
  regions: regionsKind,
  prices: pricesKind,
  volumes: volumesKind,
  agreedVolumes: agreedVolumesKind,
};
