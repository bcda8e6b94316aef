"""Readers of report files: ``text`` (decoding, the load error, the helpers every reader shares) and the
formats besides plain text (``word``, ``pdf``, ``web``), each needing an optional extra imported only when used."""
