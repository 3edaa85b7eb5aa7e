"""Launch templates: their calls (templates, versions, an instance's data), the merge of a
template into RunInstances, and what their actions ask permission for."""
