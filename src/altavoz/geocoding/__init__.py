"""Address -> point. One module per provider (census, geopy_provider, address_points), the
chain with its cache in ``chain``, address normalisation in ``address``."""
