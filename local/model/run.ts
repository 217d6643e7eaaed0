/**
 * `npm run model`: the core-banking write protocol (local/model/core-banking-write.pml) checked
 * exhaustively by spin, for every interleaving of two workers, three deliveries, slow commits,
 * lost answers and clock skew. Exit code 0 only if every configuration gets the verdict it must.
 *
 *   npm run model                                           the configurations of configs.ts
 *   npm run model -- --settle 40 --commit-delay 60 --skew 0 one configuration (seconds)
 *   npm run model -- --protocol old                         the protocol before the fix, shipped values
 */
import { Command, InvalidArgumentError } from 'commander';
import { checkModel, PROTOCOLS, spinAvailable, toTicks, type ModelConfig, type ModelVerdict, type Protocol } from './check.js';
import { MODEL_CONFIGS, SHIPPED } from './configs.js';

const seconds = (text: string): number => {
  const parsed = Number(text);
  if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError('must be a number of seconds, 0 or more');
  return parsed;
};

const protocol = (text: string): Protocol => {
  if (!(PROTOCOLS as readonly string[]).includes(text)) throw new InvalidArgumentError(`one of ${PROTOCOLS.join(', ')}`);
  return text as Protocol;
};

const describe = (config: ModelConfig): string =>
  `protocol ${config.protocol}, settle ${config.settleSeconds} s, commit delay ≤ ${config.commitDelaySeconds} s, skew ≤ ±${config.skewSeconds} s, ` +
  `invocation ${config.lifeSeconds} s (no DCMS call in its last ${config.marginSeconds} s), read ≤ ${config.readSeconds} s, tick ${config.tickSeconds} s`;

function print(name: string, config: ModelConfig, verdict: ModelVerdict): void {
  const ticks = Object.entries(verdict.defines)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  console.log(`\n${name}: ${describe(config)}`);
  console.log(`  spin -D ${ticks}`);
  const found = verdict.errors === 0 ? 'no errors: at most one card in every run' : 'VIOLATION: two cards';
  console.log(`  ${found}; ${verdict.states.toLocaleString('en-US')} states explored in ${verdict.seconds.toFixed(1)} s`);
  for (const line of verdict.trail) console.log(`    ${line}`);
}

const program = new Command()
  .name('model')
  .description('Checks "at most one card" on the Promela model of the core-banking write protocol')
  .option('--protocol <name>', `${PROTOCOLS.join(' | ')} (check.ts)`, protocol)
  .option('--settle <seconds>', 'settle window', seconds)
  .option('--commit-delay <seconds>', 'longest DCMS takes to apply a write it received', seconds)
  .option('--skew <seconds>', 'largest clock skew of a worker', seconds)
  .option('--life <seconds>', 'function timeout', seconds)
  .option('--margin <seconds>', 'no DCMS call starts this close to the timeout', seconds)
  .option('--read <seconds>', 'longest a read answer takes after DCMS looked', seconds)
  .option('--tick <seconds>', 'the model counts time in ticks of this length', seconds);

program.parse();
const flags = program.opts<Partial<Record<'settle' | 'commitDelay' | 'skew' | 'life' | 'margin' | 'read' | 'tick', number> & { protocol: Protocol }>>();

if (!spinAvailable()) {
  console.error('spin is not on PATH (Debian/Ubuntu: apt-get install spin)');
  process.exit(1);
}

const single = Object.values(flags).some((value) => value !== undefined);
if (single) {
  const base = SHIPPED;
  const config: ModelConfig = {
    protocol: flags.protocol ?? base.protocol,
    settleSeconds: flags.settle ?? base.settleSeconds,
    commitDelaySeconds: flags.commitDelay ?? base.commitDelaySeconds,
    skewSeconds: flags.skew ?? base.skewSeconds,
    lifeSeconds: flags.life ?? base.lifeSeconds,
    marginSeconds: flags.margin ?? base.marginSeconds,
    readSeconds: flags.read ?? base.readSeconds,
    tickSeconds: flags.tick ?? base.tickSeconds,
  };
  if (Object.values(toTicks(config)).some((ticks) => ticks > 25)) console.log('(long times in short ticks: this can take minutes; try a larger --tick)');
  const verdict = checkModel(config);
  print('one configuration', config, verdict);
  process.exit(verdict.errors === 0 ? 0 : 1);
}

let failed = false;
for (const { name, config, safe } of MODEL_CONFIGS) {
  const verdict = checkModel(config);
  print(name, config, verdict);
  if ((verdict.errors === 0) !== safe) {
    failed = true;
    console.log(safe ? '  ✗ must hold here, and does not' : '  ✗ must fail here (a model that cannot fail proves nothing), and does not');
  }
}
process.exit(failed ? 1 : 0);
