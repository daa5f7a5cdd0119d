import type { PluginParts, ProcessRole } from './contract.js';

/** Starts what a plugin runs in every process, then what it runs in this process's role only. */
export async function startPlugin(parts: PluginParts, role: ProcessRole): Promise<void> {
  await parts.start?.();
  await parts.roles?.[role]?.start?.();
}

/** Stops in the reverse order of startPlugin; the shared part stops even when the role's part failed to. */
export async function stopPlugin(parts: PluginParts, role: ProcessRole): Promise<void> {
  let failure: unknown;
  try {
    await parts.roles?.[role]?.stop?.();
  } catch (error) {
    failure = error;
  }
  await parts.stop?.();
  if (failure !== undefined) throw failure;
}
