"""The token market each month: providers' prices by tier and task class (``pricing``),
clearing against capacity with scarcity prices (``clearing``) and the demand that spills
over to other providers when one rations (``spillover``)."""
