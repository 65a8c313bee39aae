"""Structure: a ``Document`` in, its ``Plan``s out, each with the heading tree of ``Section``s and
their field lines; page furniture lines are marked and left out of every plan."""
