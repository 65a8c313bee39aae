"""Learning: the frozen test split, training data from the gold sets, and the commands that train and
evaluate the models the stages read (in: gold folders; out: model files in ``parser/data/models``)."""
