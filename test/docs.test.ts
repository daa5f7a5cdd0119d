import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { rootDir } from './support/platform.js';

const docsDir = path.join(rootDir, 'docs');

describe('docs', () => {
  it('point only at files a user of the repository has', async () => {
    const missing: string[] = [];
    for (const name of (await readdir(docsDir)).filter((n) => n.endsWith('.md'))) {
      const text = await readFile(path.join(docsDir, name), 'utf8');
      // markdown links, and code spans naming a path outside docs/
      const targets = [...text.matchAll(/\]\(([^)#\s]+)[^)]*\)/g), ...text.matchAll(/`(\.\.\/[^`\s]+)`/g)].map((m) => m[1]!);
      for (const target of targets.filter((t) => !/^[a-z]+:/i.test(t))) {
        if (!existsSync(path.resolve(docsDir, target))) missing.push(`${name} → ${target}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('tell OpenVeo client users to use the web-service URL, not the back office', async () => {
    const publish = await readFile(path.join(docsDir, 'publish.md'), 'utf8');
    expect(publish).to.match(/@openveo\/rest-nodejs-client[\s\S]{0,300}3001/);
  });
});
