// The live push wire contract and its client bookkeeping: shared by the read-side's server and test
// client and by the browser, so both ends keep one definition.
export * from './protocol';
export * from './tracker';
