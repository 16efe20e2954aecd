/** Stand-in used only while the convlens widgets module does not exist yet. */
export {};
