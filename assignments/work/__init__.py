"""The life of a designation: the lawyer's work log (会见、阅卷、申请调取证据、出庭、书面辩护意见、权利受阻投诉),
the court's feedback (judgment, decisions not to hear, major procedural decisions), closing (结案),
and the work that detention centres and e-file-review systems confirm."""
