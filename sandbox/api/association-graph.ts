/**
 * Record-to-record associations, stored once per pair and readable from both sides: adding type 341
 * (deal → company) also answers 342 (company → deal) from the company's side.
 */
import { compareIds } from '../../src/engine/ids.js';

type Side = Map<string /* other object type id */, Map<string /* other id */, Set<number>>>;

export class AssociationGraph {
  private readonly edges = new Map<string, Side>();

  private side(typeId: string, id: string, create: boolean): Side | undefined {
    const key = `${typeId}:${id}`;
    let side = this.edges.get(key);
    if (!side && create) {
      side = new Map();
      this.edges.set(key, side);
    }
    return side;
  }

  typesBetween(fromType: string, fromId: string, toType: string, toId: string): Set<number> {
    return new Set(this.side(fromType, fromId, false)?.get(toType)?.get(toId) ?? []);
  }

  /** `inverse` maps a type id to the id of the same association read from the other side. */
  add(fromType: string, fromId: string, toType: string, toId: string, typeIds: number[], inverse: (t: number) => number): void {
    const forward = this.bucket(fromType, fromId, toType, toId);
    const backward = this.bucket(toType, toId, fromType, fromId);
    for (const t of typeIds) {
      forward.add(t);
      backward.add(inverse(t));
    }
  }

  remove(fromType: string, fromId: string, toType: string, toId: string, typeIds: number[] | 'all', inverse: (t: number) => number): void {
    const forward = this.side(fromType, fromId, false)?.get(toType);
    const backward = this.side(toType, toId, false)?.get(fromType);
    const types = forward?.get(toId);
    if (!types) return;
    const removed = typeIds === 'all' ? [...types] : typeIds;
    for (const t of removed) {
      types.delete(t);
      backward?.get(fromId)?.delete(inverse(t));
    }
    if (types.size === 0) {
      forward?.delete(toId);
      backward?.delete(fromId);
    }
  }

  /** Every record of `toType` associated with the record, with the type ids read from its side. */
  list(fromType: string, fromId: string, toType: string): { toId: string; typeIds: Set<number> }[] {
    const byId = this.side(fromType, fromId, false)?.get(toType);
    if (!byId) return [];
    return [...byId.entries()]
      .filter(([, types]) => types.size > 0)
      .map(([toId, types]) => ({ toId, typeIds: new Set(types) }))
      .sort((a, b) => compareIds(a.toId, b.toId));
  }

  /** Drops every association of a record (archiving it), from both sides. */
  removeRecord(typeId: string, id: string, inverse: (t: number) => number): void {
    const side = this.side(typeId, id, false);
    if (!side) return;
    for (const [otherType, byId] of side) {
      for (const otherId of [...byId.keys()]) this.remove(typeId, id, otherType, otherId, 'all', inverse);
    }
    this.edges.delete(`${typeId}:${id}`);
  }

  private bucket(fromType: string, fromId: string, toType: string, toId: string): Set<number> {
    const side = this.side(fromType, fromId, true)!;
    let byId = side.get(toType);
    if (!byId) {
      byId = new Map();
      side.set(toType, byId);
    }
    let types = byId.get(toId);
    if (!types) {
      types = new Set();
      byId.set(toId, types);
    }
    return types;
  }
}

/** HubSpot orders ids as numbers, as the app does. */
export { compareIds };
