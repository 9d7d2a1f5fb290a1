// Front door of phase1-revise.
export {};
