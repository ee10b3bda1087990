// Building blocks shared by every resource kind, transcribed from the official spec
// (../shared/statsig-openapi/console-api-20240601.whn-sources-subset.normalized.json).
//
// Conventions, checked by test/unit/spec-fidelity.test.ts against the spec itself:
// - every object is a `looseObject`: the spec never forbids extra keys and the live API adds
//   fields under the same version, so unknown keys are kept on parse and sent back on update;
// - `required` in the spec => required here, otherwise `.optional()`; `nullable: true` => `.nullable()`;
// - enums are the spec's enums, verbatim.
import { z } from 'zod';

export const IdTypeMapping = z.looseObject({
  statsigUnitID: z.string().describe('ID type (Statsig unit), e.g. userID or stableID.'),
  column: z.string().describe('Column of the query that holds this ID.'),
});
export type IdTypeMapping = z.infer<typeof IdTypeMapping>;

export const Owner = z
  .looseObject({
    ownerID: z.string().optional(),
    ownerType: z.string().optional(),
    ownerName: z.string().optional(),
    ownerEmail: z.string().optional(),
  })
  .nullable()
  .describe('Server-owned. Undefined when the entity was created through the Console API.');

export const Tags = z.array(z.string()).describe('Tags for categorization and search.');
export const NullableString = z.string().nullable();

/** `{property, errorMessage}` items that real clients read on 400 answers (not in the spec). */
export const ApiErrorItem = z.looseObject({ property: z.string(), errorMessage: z.string() });
export type ApiErrorItem = z.infer<typeof ApiErrorItem>;

/** Error body: the spec documents `{status, message}`; `errors[]` is read when present. */
export const ApiErrorBody = z.looseObject({
  status: z.number().optional(),
  message: z.string().optional(),
  errors: z.array(ApiErrorItem).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export const PaginationMetadata = z.looseObject({
  itemsPerPage: z.number(),
  pageNumber: z.number(),
  nextPage: z.string().nullable(),
  previousPage: z.string().nullable(),
  totalItems: z.number().optional(),
  all: z.string().optional(),
});
export type PaginationMetadata = z.infer<typeof PaginationMetadata>;

/** `{message, data: [...], pagination}`; items are parsed one by one by the caller. */
export const ListEnvelope = z.looseObject({
  message: z.string(),
  data: z.array(z.unknown()),
  pagination: PaginationMetadata,
});
export type ListEnvelope = z.infer<typeof ListEnvelope>;

/** `{message, data: {...}}`. */
export const SingleEnvelope = z.looseObject({
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
});

/** ExternalProjectDto: the project a key belongs to (`GET /console/v1/project`). */
export const ProjectInfo = z.looseObject({ id: z.string() });
export type ProjectInfo = z.infer<typeof ProjectInfo>;

/** UnitIdTypeContractDto: one of the project's unit ID types (`GET /console/v1/unit_id_types`). */
export const UnitIdType = z.looseObject({
  name: z.string().describe('The name of the unit id type.'),
  description: z.string().optional().describe('The description of the unit id type.'),
});
export type UnitIdType = z.infer<typeof UnitIdType>;

/** DELETE answers of the named kinds: `{message}` (no required keys in the spec). */
export const MessageEnvelope = z.looseObject({ message: z.string().optional() });

/** `{message, data: T}` for one schema. */
export function envelopeOf<T extends z.ZodType>(schema: T) {
  return z.looseObject({ message: z.string(), data: schema });
}

/** `{message, data: T[], pagination}` for one item schema. */
export function listEnvelopeOf<T extends z.ZodType>(schema: T) {
  return ListEnvelope.extend({ data: z.array(schema) });
}
