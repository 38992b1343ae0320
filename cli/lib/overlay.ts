/**
 * Reading and editing a Kustomization's `images:` the way `kustomize edit set image <name>=*:<tag>` does,
 * through the `yaml` package's document API so comments, order and formatting stay as they were.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { EnvironmentName } from '../../config/settings';
import { CommandError } from './command';
import { overlayDir } from './names';

/** Options for `toString`: no line folding, so a long value or comment never moves to a new line. */
export const YAML_OUTPUT = { lineWidth: 0 } as const;

export interface Kustomization {
  readonly file: string;
  readonly doc: Document;
  /** The text as read: value-only edits are spliced into it, so nothing else moves (not even comment spacing). */
  readonly text: string;
  /** Replacements of scalar values by source range; `structural` when entries were added or removed. */
  readonly edits: { start: number; end: number; text: string }[];
  structural: boolean;
}

export function readYaml(file: string, root: string): Kustomization {
  const shown = path.relative(root, file);
  if (!fs.existsSync(file)) throw new CommandError(`${shown} does not exist`);
  const text = fs.readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new CommandError(`${shown}: not valid YAML: ${doc.errors[0].message}`);
  if (!isMap(doc.contents)) throw new CommandError(`${shown}: expected a mapping at the top level`);
  return { file, doc, text, edits: [], structural: false };
}

export const overlayKustomizationFile = (root: string, env: EnvironmentName): string => path.join(overlayDir(root, env), 'kustomization.yaml');

export const readOverlay = (root: string, env: EnvironmentName): Kustomization => readYaml(overlayKustomizationFile(root, env), root);

function imagesSeq(k: Kustomization, root: string): YAMLSeq {
  const images = k.doc.get('images', true);
  if (!isSeq(images)) throw new CommandError(`${path.relative(root, k.file)} has no images: list`);
  return images;
}

function entryName(item: unknown): string | undefined {
  if (!isMap(item)) return undefined;
  const name = item.get('name');
  return typeof name === 'string' ? name : undefined;
}

/** `name` → `newTag` of every `images:` entry (undefined where an entry sets no tag). */
export function imageTags(k: Kustomization, root: string): Map<string, string | undefined> {
  const tags = new Map<string, string | undefined>();
  for (const item of imagesSeq(k, root).items) {
    const name = entryName(item);
    if (name === undefined) throw new CommandError(`${path.relative(root, k.file)}: an images: entry has no name`);
    const tag = (item as YAMLMap).get('newTag');
    tags.set(name, tag === undefined || tag === null ? undefined : String(tag));
  }
  return tags;
}

/**
 * Sets `newTag` of image `name` (adding the entry, in name order, when there is none) and drops a
 * `digest`, as `kustomize edit set image name=*:tag` does; `newName` stays. Returns the previous tag.
 */
export function setImageTag(k: Kustomization, root: string, name: string, tag: string): string | undefined {
  const seq = imagesSeq(k, root);
  const existing = seq.items.find((item) => entryName(item) === name) as YAMLMap | undefined;
  if (existing) {
    const previous = existing.get('newTag');
    const node = existing.get('newTag', true);
    if (isScalar(node) && node.range && (node.type === 'PLAIN' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) {
      // Replace the value's own characters in the text (same quoting), so the rest of the file stays byte for byte.
      const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
      k.edits.push({ start: node.range[0], end: node.range[1], text: `${quote}${tag}${quote}` });
      node.value = tag;
    } else {
      existing.set('newTag', tag);
      k.structural = true;
    }
    if (existing.has('digest')) {
      existing.delete('digest');
      k.structural = true;
    }
    return previous === undefined || previous === null ? undefined : String(previous);
  }
  k.structural = true;
  const entry = k.doc.createNode({ name, newTag: tag });
  const at = seq.items.findIndex((item) => (entryName(item) ?? '') > name);
  if (at === -1) seq.items.push(entry);
  else seq.items.splice(at, 0, entry);
  return undefined;
}

/** The new text: the original with the value edits spliced in, or the document re-printed after a structural change. */
export function render(k: Kustomization): string {
  if (k.structural) return k.doc.toString(YAML_OUTPUT);
  let text = k.text;
  for (const e of [...k.edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}
