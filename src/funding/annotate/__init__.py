"""Annotating: what each figure found in a document is, where its words say so.

One module per question asked of a figure, and one that asks them all of a document:

- ``document``: ``annotate_document``, the stage's entry (find the figures, then annotate each);
- ``kinds``: the kind of document, and of table a figure stands in;
- ``role``: commitment or context, from evidence weighed in bits, with a certainty;
- ``classify``: the context rules, the evidence against a commitment (``role`` weighs them);
- ``periods``: the financial years a figure covers;
- ``attribute``: its department and theme;
- ``programmes``: its programme, from the reference tables or the text;
- ``parts``: the parts of a file (a bundle's texts, a page's sections), each with its date and voice;
- ``words``: looking for words ignoring case cheaply, before a pattern is tried.

This package imports nothing on being imported, so that ``funding.reference`` can use the
kinds' vocabulary without the stage.
"""
