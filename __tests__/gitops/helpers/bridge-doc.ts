/** The bridge contract as documented in docs/gitops-bridge.md (the tables are the source of truth). */
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './facts';

export const BRIDGE_DOC = path.join(REPO_ROOT, 'docs', 'gitops-bridge.md');

export interface DocumentedKey {
  readonly key: string;
  readonly required: boolean;
}

/** Rows `| \`KEY\` | required/optional | ... |` of the section whose heading contains `heading`. */
export function documentedKeys(heading: string): DocumentedKey[] {
  const text = fs.readFileSync(BRIDGE_DOC, 'utf8');
  const sections = text.split(/^## /m);
  const section = sections.find((s) => s.split('\n')[0].includes(heading));
  if (!section) throw new Error(`${BRIDGE_DOC}: no section "## ...${heading}..."`);
  return [...section.matchAll(/^\|\s*`([^`]+)`\s*\|\s*(required|optional)[^|]*\|/gim)].map((m) => ({
    key: m[1],
    required: m[2].toLowerCase() === 'required',
  }));
}
