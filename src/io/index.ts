// Front door of streaming input and output.
export {};
