/**
 * The concept vocabulary of {@link shapesDataset} ("Broden-lite"): object shapes, a Broden-like
 * colour palette, textures and scenes, grouped by category as network dissection expects.
 */

/** Object shapes; the dataset's class label is the index of its object's shape here. */
export const SHAPE_NAMES = ['circle', 'square', 'triangle', 'star', 'cross', 'diamond', 'ring', 'heart'] as const;

/** Broden's eleven colour names with the RGB (in [0, 1]) the dataset paints them in. */
export const COLOUR_PALETTE: Readonly<Record<string, readonly [number, number, number]>> = {
  black: [0.08, 0.08, 0.08],
  blue: [0.15, 0.3, 0.9],
  brown: [0.5, 0.3, 0.12],
  green: [0.15, 0.65, 0.2],
  grey: [0.5, 0.5, 0.5],
  orange: [1.0, 0.55, 0.05],
  pink: [1.0, 0.62, 0.8],
  purple: [0.55, 0.15, 0.7],
  red: [0.9, 0.1, 0.1],
  white: [0.95, 0.95, 0.95],
  yellow: [0.97, 0.9, 0.15],
};

/** Colour names in palette order (the colour category's concept indices). */
export const COLOUR_NAMES = Object.keys(COLOUR_PALETTE);

/**
 * Textures painted inside objects in a second colour, each a function of pixel coordinates with
 * period `size / 8`: horizontal `stripes`, `dots` on a square lattice, `checker`, `zigzag` bands,
 * `grid` lines, and diagonal `bands`. A quarter of the objects are plain (no texture concept).
 */
export const TEXTURE_NAMES = ['stripes', 'dots', 'checker', 'zigzag', 'grid', 'bands'] as const;

/**
 * Scenes (backgrounds), each drawn in two palette colours: blue `sky` with white clouds, a `beach`
 * (blue over yellow), a `field` (blue over green), a black `night` sky with white stars, `snow`
 * (white with grey drifts) and a `room` (grey wall over a brown floor). Scene masks cover the image.
 */
export const SCENE_NAMES = ['sky', 'beach', 'field', 'night', 'snow', 'room'] as const;

/** The two palette colours of each scene, same order as {@link SCENE_NAMES}. */
export const SCENE_COLOURS: readonly (readonly [string, string])[] = [
  ['blue', 'white'],
  ['blue', 'yellow'],
  ['blue', 'green'],
  ['black', 'white'],
  ['white', 'grey'],
  ['grey', 'brown'],
];

/** A concept category of the shapes dataset. */
export type ConceptCategory = 'object' | 'colour' | 'texture' | 'scene';

/** The category names in a fixed order. */
export const CONCEPT_CATEGORIES: readonly ConceptCategory[] = ['object', 'colour', 'texture', 'scene'];

/** Concept names of every category (a concept's index in its list is its id within the category). */
export const SHAPES_CONCEPTS: Readonly<Record<ConceptCategory, readonly string[]>> = {
  object: SHAPE_NAMES,
  colour: COLOUR_NAMES,
  texture: TEXTURE_NAMES,
  scene: SCENE_NAMES,
};
