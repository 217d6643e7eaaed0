export * from './envelope.js';
export * from './fields.js';
export * from './customer-created.js';
export * from './account-opened.js';
export * from './courier-kit-status.js';
export * from './card-control.js';
export * from './registry.js';
export * from './parse.js';
