/** The document model of the spec: what a brief, PRD or OKR document says, with source ranges. */
import type { Span } from '../text/lineIndex.js';
import type { EntityKind, IdKind } from '../ids.js';
import type { FrontMatter } from '../parse/frontmatter.js';
import type { Diagnostic } from '../diagnostics.js';
import type { BodyField } from './read/documentFields.js';

export type DocType = 'brief' | 'prd' | 'okr';

/** A canonical priority (the schema's MoSCoW values). */
export type Priority = 'must' | 'should' | 'could' | 'wont';

/** What the host decided once for a workspace (the config file) that changes how a document is read. */
export interface ReadingOptions {
  /** The document type a workspace-relative glob gives this URI (front matter `type` still wins). */
  readonly typeFor?: (uri: string) => DocType | undefined;
  /** A P-scale the team defines (`P1` -> `should`); a legend in the document wins over it. */
  readonly priorityScale?: Readonly<Record<string, Priority>>;
}
export const DOC_TYPES: readonly DocType[] = ['brief', 'prd', 'okr'];

export interface ValueItem {
  readonly text: string;
  readonly span: Span;
}

export interface Property {
  /** Normalised key: lower case, spaces and `-` read as `_`. Aliases are resolved later, by the schema. */
  readonly key: string;
  readonly rawKey: string;
  readonly keySpan: Span;
  /** The value as written (trimmed, surrounding backticks removed). */
  readonly raw: string;
  readonly valueSpan: Span;
  /** The value split on commas, each with its range. */
  readonly items: readonly ValueItem[];
}

export interface Entity {
  readonly id: string;
  readonly kind: EntityKind;
  readonly idSpan: Span;
  readonly title?: string;
  readonly titleSpan?: Span;
  readonly description?: string;
  readonly definedBy: 'heading' | 'table' | 'bullet' | 'paragraph';
  /**
   * True when no ID is written in the text: the ID was derived from the entity's own label
   * (`FR-001`, `US1`, `KR1`) or its title, and `idSpan` points at that label or title.
   */
  readonly idDerived?: boolean;
  /** Heading entities: the heading line. Table entities: the row. */
  readonly headingSpan: Span;
  /** The whole entity: the heading's section, or the table row. */
  readonly span: Span;
  /** Heading depth for heading entities; 0 for table rows. */
  readonly depth: number;
  /** Canonical key(s) of the enclosing level-2 section. */
  readonly sectionKeys: readonly string[];
  /** The ID of the enclosing heading entity (a key result's objective). */
  readonly parent?: string;
  readonly properties: readonly Property[];
}

export interface Section {
  /** The heading text as written. */
  readonly title: string;
  /** The title normalised for matching (numbering and emphasis stripped, lower case). */
  readonly normalized: string;
  readonly depth: number;
  readonly headingSpan: Span;
  readonly titleSpan: Span;
  /** From the heading to the next heading of the same or a higher level. */
  readonly span: Span;
}

export type ReferenceContext = 'frontmatter' | 'property' | 'prose';

export interface Reference {
  readonly id: string;
  readonly kind: IdKind;
  readonly span: Span;
  readonly context: ReferenceContext;
  /** The key of the front matter field or property the reference sits in. */
  readonly key?: string;
  /** The entity whose property holds the reference. */
  readonly entity?: string;
}

export interface Suppression {
  /** The line the comment applies to (0-based). */
  readonly line: number;
  /** Codes suppressed; empty means every code. */
  readonly codes: readonly string[];
}

export interface DocumentModel {
  readonly uri: string;
  readonly type: DocType | undefined;
  readonly typeSource: 'frontmatter' | 'filename' | 'config' | undefined;
  /**
   * The priority scale this document is read with: the config's P-scale, overridden by a legend
   * the document defines (`- **P1 (Important):** …` means P1 = should). Keys are upper case.
   */
  readonly priorityScale?: Readonly<Record<string, Priority>>;
  /** The document's own ID (front matter `id`) and where it is written. */
  readonly docId?: { readonly id: string; readonly span: Span };
  readonly frontMatter: FrontMatter | undefined;
  /** The first level-1 heading. */
  readonly title?: { readonly text: string; readonly span: Span };
  /**
   * Document fields written in the body of a document not written for Northstar (no entity ID
   * written): the H1 as its title, `**Status**: Draft` lines, a metadata table at its head
   * (read/documentFields.ts). Front matter wins over them.
   */
  readonly bodyFields?: readonly BodyField[];
  readonly sections: readonly Section[];
  readonly entities: readonly Entity[];
  readonly references: readonly Reference[];
  readonly suppressions: readonly Suppression[];
  /** Problems found while reading (YAML, front matter shape, malformed IDs). */
  readonly problems: readonly Diagnostic[];
  readonly textLength: number;
}
