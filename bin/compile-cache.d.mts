/** Turns the compile cache on for this process and for the threads and processes it starts. */
export declare function enableCompileCache(): void;
