import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { rootDir } from './platform.js';

const run = promisify(execFile);

const javaDir = path.join(rootDir, 'test', 'support', 'java');
const OPENVIDU_JAVA_CLIENT = 'openvidu-java-client-2.32.1.jar';

/** openvidu-java-client and its dependencies, fetched from Maven Central once by test/support/java/pom.xml. */
export async function javaClientJars(): Promise<string> {
  const dir = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'mediahost', 'openvidu-java-client-2.32.1');
  if (!existsSync(path.join(dir, OPENVIDU_JAVA_CLIENT))) {
    await run('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${dir}`], { cwd: javaDir, timeout: 300_000 });
  }
  return dir;
}

/** Runs OpenViduJavaClientCheck (from source) with the given arguments; resolves with the JSON line it prints. */
export async function javaClientCheck(args: string[], timeoutMs = 180_000): Promise<Record<string, unknown>> {
  const jars = await javaClientJars();
  try {
    const { stdout } = await run('java', ['-cp', path.join(jars, '*'), path.join(javaDir, 'OpenViduJavaClientCheck.java'), ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
    if (!line) throw new Error(`no result from the Java check:\n${stdout}`);
    return JSON.parse(line) as Record<string, unknown>;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`openvidu-java-client check ${args[0]} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}
