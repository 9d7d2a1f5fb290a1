// Front door of phase2-preference.
export {};
