// `npm ci`, unless node_modules already holds exactly what package-lock.json pins. Run by the Maven
// build before every frontend build: a fresh clone (CI) always installs from the lockfile, while a
// working tree that is already installed is left alone. That keeps repeated builds fast and stops
// two builds in one tree from wiping each other's node_modules (npm ci deletes it first).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function packages(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).packages ?? null;
  } catch {
    return null;
  }
}

/** True when every installed package is the pinned one and every required one is installed. */
function upToDate() {
  const pinned = packages('package-lock.json');
  // npm writes this hidden lockfile after each successful install: it lists what is in node_modules
  const installed = packages(join('node_modules', '.package-lock.json'));
  if (!pinned || !installed) {
    return false;
  }
  for (const [path, entry] of Object.entries(installed)) {
    const want = pinned[path];
    if (!want || want.version !== entry.version || want.integrity !== entry.integrity) {
      return false;
    }
    if (!existsSync(join(path, 'package.json'))) {
      return false; // deleted behind npm's back
    }
  }
  // optional packages are other platforms' binaries: npm installs only the ones for this machine
  return Object.entries(pinned).every(([path, entry]) => path === '' || entry.optional || path in installed);
}

if (process.env.TETHER_NPM_CI !== 'always' && upToDate()) {
  console.log('frontend: node_modules matches package-lock.json, npm ci skipped');
} else {
  const result = spawnSync('npm', ['ci'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
