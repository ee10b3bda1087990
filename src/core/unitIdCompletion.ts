// Where in a source's JSON text a unit ID type is being typed: the value of
// `idTypeMapping[n].statsigUnitID`. Pure (jsonc-parser), so the completion provider in
// src/features/documents/unitIdCompletion.ts stays thin and this is unit-tested.
import { getLocation } from 'jsonc-parser';

export interface UnitIdSlot {
  /** Offsets of the string being typed (quotes included), to replace; undefined when no value is there yet. */
  readonly replace: { readonly start: number; readonly end: number } | undefined;
}

export function unitIdSlotAt(text: string, offset: number): UnitIdSlot | undefined {
  const location = getLocation(text, offset);
  const path = location.path;
  if (location.isAtPropertyKey || path.length !== 3 || path[0] !== 'idTypeMapping' || typeof path[1] !== 'number' || path[2] !== 'statsigUnitID') return undefined;
  const node = location.previousNode;
  if (node && node.type === 'string') return { replace: { start: node.offset, end: node.offset + node.length } };
  return { replace: undefined };
}
