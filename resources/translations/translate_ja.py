#!/usr/bin/python3
"""Fills camlabel_ja.ts with the Japanese texts below (run after lupdate adds new strings).

Usage: /usr/lib/qt6/bin/lupdate -no-obsolete -I . ui app/gui_main.cpp -ts resources/translations/camlabel_ja.ts
       /usr/bin/python3 resources/translations/translate_ja.py
A source without an entry here stays "unfinished", and the English text is shown.
"""
import pathlib
import xml.etree.ElementTree as ET

JA = {
    "Classes": "分類",
    "Classes (%1)": "分類 (%1)",
    "%1   %2": "%1   %2",
    "Not labelled yet: press a key.": "未ラベル: キーを押してください。",
    "Skipped.": "スキップ済み。",
    "Labelled %1.": "ラベル: %1。",
    "camlabel - %1": "camlabel - %1",
    "Opening the project...": "プロジェクトを開いています...",
    "The model is loading.": "モデルを読み込んでいます。",
    "Opening %1...": "%1 を開いています...",
    "&File": "ファイル(&F)",
    "&Quit": "終了(&Q)",
    "&Label": "ラベル(&L)",
    "Class %1": "分類 %1",
    "&Skip": "スキップ(&S)",
    "&Undo the last label": "直前のラベルを取り消す(&U)",
    "&View": "表示(&V)",
    "&Next image": "次の画像(&N)",
    "&Previous image": "前の画像(&P)",
    "&Heatmap overlay (Grad-CAM)": "ヒートマップ表示 (Grad-CAM)(&H)",
    "&Help": "ヘルプ(&H)",
    "&Keys and classes": "キーと分類(&K)",
    "&%1 %2": "&%1 %2",
    "The project has no images yet: import some with camlabel-cli import.":
        "プロジェクトに画像がありません: camlabel-cli import で取り込んでください。",
    "No image.": "画像なし。",
    "The project has no images.": "プロジェクトに画像がありません。",
    "at image %1 of %2": "%2 枚中 %1 枚目",
    "model v%1 (%2 in the project)": "モデル v%1 (プロジェクト内 %2)",
    "%1 to train again": "再学習 %1",
    "Opened %1.": "%1 を開きました。",
    "Resumed %1.": "再開しました: %1。",
    " Damaged model versions skipped: %1.": " 破損したモデル版をスキップ: %1。",
    "Cannot open the project.\n\n%1": "プロジェクトを開けません。\n\n%1",
    "No project is open.": "プロジェクトが開かれていません。",
    "Loading...": "読み込み中...",
    "Predicting...": "予測中...",
    "Wait for the image to appear before labelling it.": "画像が表示されてからラベルを付けてください。",
    "This image cannot be shown, so it cannot be labelled: press S to skip it or Right to go on.":
        "この画像は表示できないためラベルを付けられません: S でスキップするか → で次へ進んでください。",
    "Image %1 labelled %2.": "画像 %1 に %2 を付けました。",
    "Image %1 labelled %2. Every image has a label now.":
        "画像 %1 に %2 を付けました。すべての画像にラベルが付きました。",
    "Image %1 skipped.": "画像 %1 をスキップしました。",
    "Image %1 skipped. Every image has a decision now.":
        "画像 %1 をスキップしました。すべての画像が判定済みです。",
    "Nothing to undo.": "取り消す操作がありません。",
    "Undid the last decision, on image %1.": "画像 %1 の直前の判定を取り消しました。",
    "%1\n\nPress S to skip this image or Right to go on.":
        "%1\n\nS でこの画像をスキップするか → で次へ進んでください。",
    "No prediction: the image cannot be read.": "予測なし: 画像を読み込めません。",
    "No prediction: %1": "予測なし: %1",
    "Heatmap: Grad-CAM for %1 (%2%), model %3. Checks: %4.":
        "ヒートマップ: %1 の Grad-CAM (%2%)、モデル %3。確認: %4。",
    "no warning signs": "警告なし",
    "No heatmap: %1": "ヒートマップなし: %1",
    "Computing the heatmap...": "ヒートマップを計算中...",
    "Image %1 of %2": "%2 枚中 %1 枚目",
    "Labelled %1, skipped %2, unlabelled %3": "ラベル済み %1、スキップ %2、未ラベル %3",
    "Training: %1 queued, %2 seen": "学習: 待機 %1、学習済み %2",
    ", loss %1": "、損失 %1",
    " | Model %1": " | モデル %1",
    " | Training problem: %1": " | 学習の問題: %1",
    "Prediction": "予測",
    "Model: %1": "モデル: %1",
    "Untrained model: random weights (no ImageNet weights file is configured) that have not "
    "learned from any label yet. This prediction means nothing.":
        "未学習のモデル: ランダムな重み (ImageNet の重みファイルが設定されていません) で、"
        "まだどのラベルからも学習していません。この予測には意味がありません。",
    "Untrained model: the ImageNet model has not learned from any label yet. This prediction "
    "means nothing.":
        "未学習のモデル: ImageNet モデルはまだどのラベルからも学習していません。"
        "この予測には意味がありません。",
    "Started from random weights (no ImageNet weights file is configured): trust it only after "
    "many labels.":
        "ランダムな重みから学習しています (ImageNet の重みファイルが設定されていません): "
        "多くのラベルで学習するまで信頼しないでください。",
    "1 label": "ラベル 1 件",
    "%1 labels": "ラベル %1 件",
    "lung window": "肺野条件",
    "mediastinal window": "縦隔条件",
    "bone window": "骨条件",
    "window %1": "ウィンドウ %1",
    "<h2>Keys</h2><p><b>0-9</b> label the image and go to the next unlabelled one<br><b>S</b> skip "
    "&nbsp; <b>Left/Right</b> previous/next &nbsp; <b>Ctrl+Z</b> undo<br><b>C</b> heatmap overlay "
    "&nbsp; <b>V</b> compare before and after &nbsp; <b>K</b> common scale &nbsp; <b>T</b> "
    "training panel<br><b>F1-F4</b> lung, mediastinal, bone, image's own window<br><b>H</b> this "
    "help &nbsp; <b>Q</b> close (every label is already saved)</p>":
        "<h2>キー</h2><p><b>0-9</b> 画像にラベルを付けて次の未ラベル画像へ<br><b>S</b> スキップ "
        "&nbsp; <b>←/→</b> 前/次 &nbsp; <b>Ctrl+Z</b> 取り消し<br><b>C</b> ヒートマップ表示 "
        "&nbsp; <b>V</b> 学習前と学習後を比較 &nbsp; <b>K</b> 共通スケール &nbsp; <b>T</b> "
        "学習パネル<br><b>F1-F4</b> 肺野、縦隔、骨、画像固有のウィンドウ<br><b>H</b> このヘルプ "
        "&nbsp; <b>Q</b> 閉じる (ラベルはすべて保存済み)</p>",
    "Training": "学習",
    "&Training panel": "学習パネル(&T)",
    "Rolling back to v%1...": "v%1 に戻しています...",
    "Model v%1 is current again; %2 later labels are being trained again.":
        "モデル v%1 を現行に戻しました。その後のラベル %2 件を再学習しています。",
    "No rollback: %1": "戻せません: %1",
    "Learning curve": "学習曲線",
    "prequential accuracy (last 50 labels)": "逐次正解率 (直近 50 ラベル)",
    "mean loss per version": "版ごとの平均損失",
    "labels": "ラベル数",
    "accuracy": "正解率",
    "loss": "損失",
    "Model versions": "モデルの版",
    "Make the selected version current (roll back)": "選択した版を現行にする (ロールバック)",
    "Prequential accuracy: %1 over the last %2 labels, %3 overall (%4 labels with a prediction).":
        "逐次正解率: 直近 %2 ラベルで %1、全体で %3 (予測付きラベル %4 件)。",
    "No label with a prediction yet.": "予測付きのラベルはまだありません。",
    "v%1: %2 labels, %3": "v%1: ラベル %2 件、%3",
    " (current)": " (現行)",
    "&Compare before and after": "学習前と学習後を比較(&C)",
    "Heatmaps on a common &scale": "ヒートマップを共通スケールで表示(&S)",
    "Computing the heatmaps...": "ヒートマップを計算中...",
    "Heatmaps on a common scale: a weaker map looks weaker.":
        "ヒートマップを共通スケールで表示: 弱い根拠は弱く見えます。",
    "Each heatmap on its own scale.": "各ヒートマップを個別のスケールで表示。",
    "Before: computing...": "学習前: 計算中...",
    "After: computing...": "学習後: 計算中...",
    "Before: %1 - %2 (%3%)": "学習前: %1 - %2 (%3%)",
    "After: model %1 - %2 (%3%)": "学習後: モデル %1 - %2 (%3%)",
    "No comparison: %1": "比較なし: %1",
    "<h2>Classes</h2>": "<h2>分類</h2>",
    "<b>%1</b> %2<br>": "<b>%1</b> %2<br>",
    "The model gave no heatmap.": "モデルはヒートマップを出しませんでした。",
    "camlabel": "camlabel",
    "&Open images...": "画像を開く(&O)...",
    "Open images": "画像を開く",
    "Images (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff *.bmp);;All files (*)":
        "画像 (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff *.bmp);;すべてのファイル (*)",
    "No images found.": "画像が見つかりません。",
    "Open CT images with Ctrl+O.": "Ctrl+O で CT 画像を開いてください。",
    "No image": "画像なし",
    "Image %1 of %2 - %3": "%2 枚中 %1 枚目 - %3",
    " - window %1": " - ウィンドウ %1",
    " - cannot be shown": " - 表示できません",
    "&Lung window": "肺野条件(&L)",
    "&Mediastinal window": "縦隔条件(&M)",
    "&Bone window": "骨条件(&B)",
    "&Image's own window": "画像固有のウィンドウ(&I)",
    "Label CT slices while a model learns from them.": "モデルに学習させながら CT 画像にラベルを付けます。",
    "Render the window to a PNG file and exit (for a project: once the first image and its "
    "prediction are shown).":
        "ウィンドウを PNG ファイルに描画して終了します (プロジェクトでは最初の画像と予測の表示後)。",
    "resnet50 (default) or tiny.": "resnet50 (既定) または tiny。",
    "A project folder (holding project.sqlite) to label, or images or folders of images to show.":
        "ラベルを付けるプロジェクトフォルダ (project.sqlite を含む)、または表示する画像や画像フォルダ。",
    "User interface language: en or ja (default: the system's).": "表示言語: en または ja (既定: システムの設定)。",
}

path = pathlib.Path(__file__).with_name("camlabel_ja.ts")
tree = ET.parse(path)
missing = []
for message in tree.iter("message"):
    source = message.findtext("source")
    translation = message.find("translation")
    if source in JA:
        translation.text = JA[source]
        translation.attrib.pop("type", None)
    elif translation.attrib.get("type") != "vanished":
        missing.append(source)
tree.write(path, encoding="utf-8", xml_declaration=True)
print(f"{path.name}: {len(missing)} untranslated")
for source in missing:
    print("  " + source.replace("\n", "\\n"))
