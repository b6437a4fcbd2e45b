"""Who is who: one resolver for every place a person types a name.

- :mod:`~kgraph.identity.normalize`: one normal form for the same characters
  typed differently, and what was wrong with the form given;
- :mod:`~kgraph.identity.romanize`: any script as Latin letters, with the
  region's conventions for Armenian and Azerbaijani;
- :mod:`~kgraph.identity.keys`: the skeleton keys that spellings of one
  name share;
- :mod:`~kgraph.identity.resolver`: the registry's names indexed, ranked
  candidates for a name, and likely duplicate pairs;
- :mod:`~kgraph.identity.review`: the identity checks of ``kgraph validate``
  and the judgements that settle a pair.
"""

from .keys import name_keys, same_name, skeleton
from .normalize import name_problems, normal_form
from .resolver import Candidate, NameIndex, Named
from .romanize import romanize

__all__ = ["Candidate", "NameIndex", "Named", "name_keys", "same_name", "name_problems", "normal_form", "romanize", "skeleton"]
