"""Address -> point. One module per provider (census, geopy_provider, address_points), each
registered by name in ``registry``; the chain with its cache in ``chain``, address
normalisation in ``address``."""
