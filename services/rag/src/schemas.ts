/** Request shapes; every failure names its field (the kit turns zod issues into a 400). */
import { z } from "zod";

export const DocumentId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "1–128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");

const MetadataKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1–64 letters, digits, '_' or '-'");
const MetadataValue = z.union([z.string().max(1000), z.number(), z.boolean()]);
export const MAX_METADATA_KEYS = 32;

export const Metadata = z
  .record(MetadataKey, MetadataValue)
  .refine((m) => Object.keys(m).length <= MAX_METADATA_KEYS, `at most ${MAX_METADATA_KEYS} keys`);

export const DocumentFormat = z.enum(["text", "markdown"]);

/** POST /documents; PUT /documents/:id takes the same body, its id from the path. */
export function documentBody(maxChars: number) {
  return z.strictObject({
    id: DocumentId.optional(),
    text: z.string().min(1).max(maxChars),
    format: DocumentFormat.default("text"),
    metadata: Metadata.default({}),
  });
}

export const SEARCH_MODES = ["hybrid", "bm25", "vector"] as const;

export const SearchBody = z.strictObject({
  query: z.string().min(1).max(4000),
  /** Results to return. */
  k: z.number().int().min(1).max(50).default(5),
  /** "bm25" needs no embedding endpoint; the default never silently degrades to it. */
  mode: z.enum(SEARCH_MODES).default("hybrid"),
  /** Equality on document metadata, every key must match. */
  filter: Metadata.optional(),
});
export type SearchBody = z.infer<typeof SearchBody>;

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
