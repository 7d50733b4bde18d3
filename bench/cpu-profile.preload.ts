import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * Loaded into the server by `bench:profile` (`node --import …/cpu-profile.preload.js dist/src/main.js`):
 * samples the process's CPU from start-up; on a `profile` message over the IPC channel it writes the profile
 * since the previous one (Chrome's .cpuprofile format) to CPU_PROFILE_FILE and starts a fresh one. (Not a
 * signal: Nest's shutdown hooks take SIGUSR2, and Node's inspector SIGUSR1.)
 */
const file = process.env.CPU_PROFILE_FILE;
if (!file) throw new Error('CPU_PROFILE_FILE must name the file to write the profile to');

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 250 });
await session.post('Profiler.start');

process.channel?.unref();
process.on('message', (message) => {
  if (message !== 'profile') return;
  void (async () => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(`${file}.part`, JSON.stringify(profile));
    fs.renameSync(`${file}.part`, file);
    await session.post('Profiler.start');
  })();
});
