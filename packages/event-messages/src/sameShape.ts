/*
 * Compile-time checks that a bus schema and the domain type it stands for have the same shape.
 */

/** Compiles only when each type accepts every value of the other. */
type Assignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type Depth = [never, 0, 1, 2, 3, 4];

/** Every member path of a type (`.apiKey.issuedByKeyId`), optional ones included, to a depth where event data ends. */
type Paths<T, Prefix extends string = "", Level extends number = 5> = [Level] extends [never]
  ? never
  : T extends readonly (infer Element)[]
    ? Paths<Element, `${Prefix}[]`, Depth[Level]>
    : T extends object
      ? { [K in keyof T & string]-?: `${Prefix}.${K}` | Paths<NonNullable<T[K]>, `${Prefix}.${K}`, Depth[Level]> }[keyof T & string]
      : never;

/** The member paths of each event's data, under its type: `ApiKeyIssued.apiKey.issuedByKeyId`. */
type EventPaths<Event> = Event extends { type: infer Type extends string; data: infer Data } ? `${Type}${Paths<Data>}` : never;

/**
 * Holds when both sides name the same members, optional ones included (mutual
 * assignability alone would let an optional field go missing on one side), and take
 * the same values.
 */
export type Same<A, B> = Assignable<A, B> extends true ? Assignable<EventPaths<A> | Paths<A>, EventPaths<B> | Paths<B>> : false;
export const same = <T extends true>(): T | undefined => undefined;
