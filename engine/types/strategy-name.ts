/** ansible's strategy plugins that tsplay has (closed: an unknown name is an error). */
export type StrategyName = 'linear' | 'free' | 'host_pinned';
