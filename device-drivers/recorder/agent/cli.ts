/**
 * `hallwatch recorder-agent --config FILE` and `hallwatch recording verify DIR`.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { loadAgentConfig, resolveToken } from './config';
import { RecorderAgent } from './agent';
import { verifyRecording } from './integrity';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  untilSignal: () => Promise<string>;
}

export function registerRecorderCommands(program: Command, io: Io, setCode: (c: number) => void): void {
  program.command('recorder-agent')
    .description('run the hall recorder agent: ffmpeg capture, integrity, short protocol, copies, and its control API')
    .requiredOption('-c, --config <file>', 'agent configuration YAML (device-drivers/recorder/README.md)')
    .action(async (o: { config: string }) => {
      let agent: RecorderAgent;
      try {
        const c = loadAgentConfig(o.config);
        agent = new RecorderAgent(c, resolveToken(c, io.env), { env: io.env });
        await agent.start();
      } catch (e) {
        // A configuration problem names its field (signing.passphrase: wrong passphrase for …).
        io.err(`${o.config}: ${(e as Error).message}`);
        setCode(2);
        return;
      }
      io.out(`recorder agent listening on http://${agent.address} (hall ${agent.config.hall.id}, ${agent.config.audio.length} channel(s))`);
      // Sessions cut short by an earlier crash are finished in the background; say what became of each.
      void agent.recovery.then((list) => {
        for (const r of list) {
          io.out(`recovered ${r.id}: cut short at ${r.interruptedAt}, finished ${r.recoveredAt}; ${r.segmentsKept} segment(s) kept` +
            `${r.chainedAtRecovery ? ` (${r.chainedAtRecovery} chained at recovery)` : ''}, ${r.quarantined.length} partial file(s) quarantined; ` +
            `${r.intact ? 'intact' : 'NOT intact'}, ${r.signed ? 'signed' : 'unsigned'}${r.problems.length ? `; ${r.problems.join('; ')}` : ''}`);
        }
        for (const p of agent.recoveryProblems) io.err(`recovery failed: ${p}`);
      });
      const signal = await io.untilSignal();
      io.out(`stopping (${signal})`);
      await agent.close();
      setCode(0);
    });

  const rec = program.command('recording').description('work with recordings made by the recorder agent');
  rec.command('verify')
    .description('check a recording folder: hash chain, signed manifest, every file (exit 0 intact, 1 changed or missing, 2 usage error)')
    .argument('<dir>', 'the recording folder')
    .option('--cert <file>', "the court's certificate (PEM) the manifest must be signed with")
    .option('--require-signed', 'a manifest without a signature is a failure')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, o: { cert?: string; requireSigned?: boolean; json?: boolean }) => {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        io.err(`${dir}: not a folder`);
        setCode(2);
        return;
      }
      const r = await verifyRecording(dir, { trustedCertPem: o.cert ? fs.readFileSync(o.cert, 'utf8') : undefined, requireSigned: o.requireSigned });
      if (o.json) io.out(JSON.stringify(r, null, 2));
      else {
        for (const p of r.problems) io.out(`TAMPERED ${p.file}: ${p.problem} — ${p.detail}`);
        if (r.unchained.length) io.out(`not covered by the chain (in progress at a stop or crash): ${r.unchained.join(', ')}`);
        if (r.recovered) {
          const x = r.recovered;
          io.out(`recovered after an agent restart: cut short at ${x.interruptedAt}, finished ${x.recoveredAt}; ` +
            `${x.chainedAtRecovery.length} segment(s) chained at recovery, ${x.quarantined.length} partial file(s) quarantined` +
            `${x.problems.length ? `; at recovery: ${x.problems.join('; ')}` : ''}`);
        }
        io.out(`${r.intact ? 'intact' : 'NOT intact'}: ${r.segments} chained segment(s), ${r.files} manifest file(s), ${r.finished ? (r.signed ? 'signed manifest' : 'unsigned manifest') : 'no manifest (recording cut short)'}`);
      }
      setCode(r.intact ? 0 : 1);
    });
}
