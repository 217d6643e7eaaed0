import type { ResourceTags } from './app-config.js';

/** Tag keys as the bank's cost and data-governance reports read them. */
const TAG_KEYS: Record<keyof ResourceTags, string> = {
  service: 'service',
  owner: 'owner',
  costCentre: 'cost-centre',
  dataClassification: 'data-classification',
};

/** The tags every resource of a stage carries: the configured ones and the stage's name. */
export function stageTags(tags: ResourceTags, stage: string): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [TAG_KEYS[key as keyof ResourceTags], value])),
    stage,
  };
}
