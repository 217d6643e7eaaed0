import type { ListrTask } from 'listr2';
import type { FaultSettings } from '../../sandbox/dcms/server.js';
import type { LocalStack } from '../stack/boot/boot.js';
import type { Processing } from '../stack/feed/processing.js';
import { defaultSeed } from '../../sandbox/card91/seed-data.js';
import { cardControlPhase, coreBankingPhase, courierPhase, entityPrefix, type IssuedKit } from './dataset.js';
import { describeFaults } from './faults.js';
import { issuedKits } from './issued-kits.js';

export interface DemoSettings {
  customers: number;
  tenants: readonly string[];
  /** The DCMS sandbox's faults while the demo runs; none when undefined. */
  faults: FaultSettings | undefined;
  /** Seeds the dataset's shapes (the demo's own seed by default). */
  seed?: number;
  /** Only events meant to succeed: see DemoOptions.validOnly. */
  validOnly?: boolean;
}

export interface DemoState {
  /** A kit the demo issued, for the "try this" hints. */
  exampleKit?: IssuedKit;
}

/**
 * The demo as two progress tasks. Phase 2 starts after phase 1 has drained: courier events must
 * name kits DCMS really issued, read back from the kit ledger. DCMS faults (local sandbox only)
 * are set afresh at the start of each phase (script, seeded draws and outage window start again)
 * and are off afterwards, so what an operator tries next behaves plainly.
 */
export function demoTasks(stack: LocalStack, processing: Processing, settings: DemoSettings, state: DemoState): ListrTask[] {
  const options = {
    customers: settings.customers,
    tenants: settings.tenants,
    runId: Date.now().toString(36),
    ...(settings.seed !== undefined && { seed: settings.seed }),
    ...(settings.validOnly && { validOnly: true }),
  };
  const sandbox = stack.dcms.sandbox;
  const faults = sandbox && settings.faults;
  const cardControlNote = stack.card91.sandbox ? 'card controls' : 'no card controls (CARD91_BASE_URL is not the sandbox)';
  const faultNote = !settings.faults ? 'no DCMS faults' : sandbox ? `DCMS faults: ${describeFaults(settings.faults)}` : 'no DCMS faults: DCMS_BASE_URL is not the sandbox';
  const validNote = settings.validOnly ? ', valid events only' : '';
  return [
    processing.task(`Demo 1/2, customers and accounts (${faultNote}${validNote})`, async () => {
      if (faults) sandbox.setFaults(faults);
      return { lines: coreBankingPhase(options) };
    }),
    processing.task(`Demo 2/2, courier streams for the issued kits${settings.validOnly ? '' : ', early accounts'}, ${cardControlNote}`, async () => {
      if (faults) sandbox.setFaults(faults);
      const kits = await issuedKits(stack.dynamo, stack.resources.tables.integrationState, entityPrefix(options.runId));
      if (kits[0]) state.exampleKit = kits[0];
      // Card controls name the Card91 sandbox's own cardholders: another Card91 has other ones.
      const controls = stack.card91.sandbox ? cardControlPhase(settings.tenants[0]!, defaultSeed(), { validOnly: settings.validOnly === true }) : [];
      return { lines: [...courierPhase(options, kits), ...controls] };
    }),
    {
      title: 'Demo done: DCMS faults off',
      enabled: () => faults !== undefined,
      task: async () => sandbox?.setFaults({}),
    },
  ];
}
