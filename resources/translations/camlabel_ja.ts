<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>QObject</name>
    <message>
        <location filename="../../ui/model_names.cpp" line="12" />
        <source>1 label</source>
        <translation>ラベル 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/model_names.cpp" line="12" />
        <source>%1 labels</source>
        <translation>ラベル %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/model_names.cpp" line="18" />
        <source>base</source>
        <translation>ベース</translation>
    </message>
    <message>
        <location filename="../../ui/model_names.cpp" line="27" />
        <source>ImageNet architecture, random weights</source>
        <translation>ImageNet の構造、ランダムな重み</translation>
    </message>
    <message>
        <location filename="../../ui/model_names.cpp" line="29" />
        <source>ImageNet model (%1)</source>
        <translation>ImageNet モデル (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/model_names.cpp" line="31" />
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/model_names.cpp" line="36" />
        <source>%1 + %2</source>
        <translation>%1 + %2</translation>
    </message>
    <message>
        <location filename="../../ui/model_names.cpp" line="40" />
        <source>now (%1)</source>
        <translation>現在 (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="40" />
        <source>lung window</source>
        <translation>肺野条件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="41" />
        <source>mediastinal window</source>
        <translation>縦隔条件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="42" />
        <source>bone window</source>
        <translation>骨条件</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="43" />
        <source>window %1</source>
        <translation>ウィンドウ %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="48" />
        <source>series %1 of %2, slice %3 of %4</source>
        <translation>シリーズ %2 中 %1、スライス %4 中 %3</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="54" />
        <source>, z %1 mm</source>
        <translation>、z %1 mm</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="115" />
        <source>A class's key labels the image and goes to the next unlabelled one.</source>
        <translation>分類のキーで画像にラベルを付け、次の未ラベル画像へ進みます。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="122" />
        <source>&lt;b&gt;F1-F4&lt;/b&gt; lung, mediastinal, bone, image's own window&lt;br&gt;&lt;b&gt;Ctrl+= / Ctrl+- / Ctrl+0&lt;/b&gt; zoom in, zoom out, fit; the wheel zooms, a left drag pans, a right drag changes the window</source>
        <translation>&lt;b&gt;F1-F4&lt;/b&gt; 肺野、縦隔、骨、画像固有のウィンドウ&lt;br&gt;&lt;b&gt;Ctrl+= / Ctrl+- / Ctrl+0&lt;/b&gt; 拡大、縮小、全体表示。ホイールで拡大縮小、左ドラッグで移動、右ドラッグでウィンドウ調整</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="128" />
        <source>&lt;h2&gt;Classes&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;分類&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="130" />
        <source>&lt;b&gt;%1&lt;/b&gt; %2&lt;br&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; %2&lt;br&gt;</translation>
    </message>
</context>
<context>
    <name>camlabel</name>
    <message>
        <location filename="../../ui/window_presets.cpp" line="21" />
        <source>&amp;Lung window</source>
        <translation>肺野条件(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/window_presets.cpp" line="22" />
        <source>&amp;Mediastinal window</source>
        <translation>縦隔条件(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/window_presets.cpp" line="24" />
        <source>&amp;Bone window</source>
        <translation>骨条件(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../ui/window_presets.cpp" line="30" />
        <source>&amp;Image's own window</source>
        <translation>画像固有のウィンドウ(&amp;I)</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::AdjudicationDialog</name>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="26" />
        <source>Disagreements</source>
        <translation>不一致</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="32" />
        <source>Slice</source>
        <translation>スライス</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="32" />
        <source>Readers' classes</source>
        <translation>読影者の分類</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="39" />
        <source>Consensus class:</source>
        <translation>合意の分類:</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="46" />
        <source>Adjudicate</source>
        <translation>裁定</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="50" />
        <source>Recorded as the adjudication of %1, beside the readers' own labels, which stay as they were.</source>
        <translation>%1 の裁定として記録します。読影者自身のラベルはそのまま残ります。</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="69" />
        <source>This project is not a team project: disagreements between readers on a team server are adjudicated here.</source>
        <translation>このプロジェクトはチームプロジェクトではありません: ここではチームサーバー上の読影者間の不一致を裁定します。</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="81" />
        <source>Reading the team's labels from the server…</source>
        <translation>サーバーからチームのラベルを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="99" />
        <source>%1: %2 %3</source>
        <translation>%1: %2 %3</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="111" />
        <source>No disagreement waits for adjudication (%1 adjudicated so far).</source>
        <translation>裁定待ちの不一致はありません (これまでに %1 件を裁定)。</translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="112" />
        <source>Readers disagree on %1 slices not yet adjudicated (%2 adjudicated so far). Choose one and its consensus class.</source>
        <translation>読影者の分類が分かれ、まだ裁定されていないスライスが %1 枚あります (これまでに %2 件を裁定)。スライスと合意の分類を選んでください。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/adjudication_dialog.cpp" line="118" />
        <source>Left out until you have given your reading (blinded double reading): %n slice(s).</source>
        <translation><numerusform>あなたが読影するまで表示しないスライス (盲検の二重読影): %n。</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/adjudication_dialog.cpp" line="130" />
        <source>Recording the adjudication…</source>
        <translation>裁定を記録しています…</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::AgreementDialog</name>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="46" />
        <source>Reader agreement</source>
        <translation>読影者間の一致</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="54" />
        <source>Per class (that class against the rest):</source>
        <translation>分類ごと (その分類か否か):</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="63" />
        <source>Save CSV…</source>
        <translation>CSV を保存…</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="68" />
        <source>Save CSV</source>
        <translation>CSV を保存</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="69" />
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="83" />
        <source>Refresh</source>
        <translation>再読み込み</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="103" />
        <source>Reading every reader's labels from the team server…</source>
        <translation>チームサーバーから全読影者のラベルを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="176" />
        <source>%1 (%2 slices)</source>
        <translation>%1 (%2 スライス)</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="177" />
        <source>Nobody has labelled a slice yet.</source>
        <translation>まだ誰もスライスにラベルを付けていません。</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="178" />
        <source>Readers: %1.</source>
        <translation>読影者: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="179" />
        <source>Slices labelled by two readers or more: %1.</source>
        <translation>2 人以上がラベルを付けたスライス: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="181" />
        <source>Agreement needs the labels of two readers at least: each reader labels under their own name (the login name).</source>
        <translation>一致を求めるには 2 人以上の読影者のラベルが必要です。各読影者は自分の名前 (ログイン名) でラベルを付けます。</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="185" />
        <source>Skips left out: %1.</source>
        <translation>除外したスキップ: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="191" />
        <source>Readers</source>
        <translation>読影者</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="191" />
        <source>Slices</source>
        <translation>スライス</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="191" />
        <source>Same class</source>
        <translation>同じ分類</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="191" />
        <source>Kappa</source>
        <translation>カッパ</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="192" />
        <source>%1% interval</source>
        <translation>%1% 区間</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="201" />
        <source>%1 / %2 (Cohen)</source>
        <translation>%1 / %2 (Cohen)</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="202" />
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="212" />
        <source>All %1 readers (Fleiss)</source>
        <translation>全 %1 人 (Fleiss)</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="218" />
        <source>All (Fleiss)</source>
        <translation>全員 (Fleiss)</translation>
    </message>
    <message>
        <location filename="../../ui/agreement_dialog.cpp" line="248" />
        <source>Saved %1</source>
        <translation>%1 を保存しました</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::AssignmentDialog</name>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="30" />
        <source>Double reading</source>
        <translation>二重読影</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="39" />
        <source>None (every reader may label every slice)</source>
        <translation>なし (誰でもすべてのスライスにラベルを付けられます)</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="40" />
        <source>Readings per slice:</source>
        <translation>スライスあたりの読影数:</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="41" />
        <source>Blinded: a reader sees nothing of the others' labels of a slice (in the model they train or the disagreements) before giving their own</source>
        <translation>盲検: 自分が読影するまで、そのスライスへの他の読影者のラベルは見えません (学習するモデルにも不一致の一覧にも入りません)</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="48" />
        <source>A slice is offered to readers until it has this many readings. Recorded on the team server under %1; the first setting needs the database owner's login. Every reader's app takes it up with the team's next labels.</source>
        <translation>各スライスは、この数の読影がそろうまで読影者に提示されます。%1 の名前でチームサーバーに記録します。最初の設定にはデータベース所有者のログインが必要です。各読影者のアプリは、チームの次のラベルとともにこの設定を反映します。</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="57" />
        <source>Set</source>
        <translation>設定</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="80" />
        <source>Reading the team's double reading from the server…</source>
        <translation>チームの二重読影の設定をサーバーから読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="93" />
        <source>The team has no double reading: every reader may label every slice.</source>
        <translation>チームは二重読影を行っていません: 誰でもすべてのスライスにラベルを付けられます。</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="96" />
        <source>The team reads each slice %1 times, blinded.</source>
        <translation>チームは各スライスを %1 回、盲検で読影します。</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="98" />
        <source>The team reads each slice %1 times, open (not blinded).</source>
        <translation>チームは各スライスを %1 回、非盲検で読影します。</translation>
    </message>
    <message>
        <location filename="../../ui/assignment_dialog.cpp" line="109" />
        <source>Recording the double reading…</source>
        <translation>二重読影の設定を記録しています…</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::ClassPanel</name>
    <message>
        <location filename="../../ui/class_panel.cpp" line="9" />
        <source>Classes</source>
        <translation>分類</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="22" />
        <source>Classes (%1)</source>
        <translation>分類 (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="25" />
        <source>%1   %2</source>
        <translation>%1   %2</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="40" />
        <source>Not labelled yet: press a key.</source>
        <translation>未ラベル: キーを押してください。</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="42" />
        <source>Skipped.</source>
        <translation>スキップ済み。</translation>
    </message>
    <message>
        <location filename="../../ui/class_panel.cpp" line="44" />
        <source>Labelled %1.</source>
        <translation>ラベル: %1。</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::ComparisonGridDialog</name>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="166" />
        <source>Comparison grid</source>
        <translation>比較グリッド</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="174" />
        <source>The most probable classes, one column each per method</source>
        <translation>確率の高いクラス。手法ごとに 1 クラス 1 列</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="177" />
        <source>Images (rows)</source>
        <translation>画像 (行)</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="178" />
        <source>Methods (columns)</source>
        <translation>手法 (列)</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="179" />
        <source>Classes per method</source>
        <translation>手法ごとのクラス数</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="180" />
        <source>Layer</source>
        <translation>層</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="181" />
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="183" />
        <source>Show grid</source>
        <translation>グリッドを表示</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="185" />
        <source>Save PNG…</source>
        <translation>PNG で保存…</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="186" />
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="248" />
        <source>%1 rows × %2 columns</source>
        <translation>%1 行 × %2 列</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="256" />
        <source>Show the grid first.</source>
        <translation>先にグリッドを表示してください。</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="265" />
        <source>Saved %1</source>
        <translation>%1 を保存しました</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="271" />
        <source>Save grid</source>
        <translation>グリッドを保存</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="271" />
        <source>PNG image (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::ExportFigureDialog</name>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="55" />
        <location filename="../../ui/figure_dialogs.cpp" line="125" />
        <source>Export figure</source>
        <translation>図を書き出す</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="62" />
        <source>PNG image</source>
        <translation>PNG 画像</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="63" />
        <source>PDF document (A4)</source>
        <translation>PDF 文書 (A4)</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="65" />
        <source>Choose where to save the figure</source>
        <translation>図の保存先を選んでください</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="66" />
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="70" />
        <source>Also save the numbers as CSV beside the figure</source>
        <translation>数値も CSV として図の横に保存する</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="74" />
        <source>Images</source>
        <translation>画像</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="75" />
        <source>Method</source>
        <translation>手法</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="76" />
        <source>Layer</source>
        <translation>層</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="77" />
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="78" />
        <source>Format</source>
        <translation>形式</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="79" />
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="82" />
        <source>Export</source>
        <translation>書き出す</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="84" />
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="91" />
        <source>Figures carry no file names or patient data; rows are numbered and the CSV names images by their SHA-256.</source>
        <translation>図にはファイル名や患者情報を含めません。行は番号で示し、CSV では画像を SHA-256 で示します。</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="126" />
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文書 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="126" />
        <source>PNG image (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <location filename="../../ui/figure_dialogs.cpp" line="155" />
        <source>Saved %1</source>
        <translation>%1 を保存しました</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::ImportDialog</name>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="37" />
        <location filename="../../ui/import_dialog.cpp" line="157" />
        <source>Importing images…</source>
        <translation>画像を取り込んでいます…</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="38" />
        <source>Retrieving from the PACS…</source>
        <translation>PACS から取得しています…</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="88" />
        <source>1 DICOMDIR</source>
        <translation>DICOMDIR 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="88" />
        <source>%1 DICOMDIRs</source>
        <translation>DICOMDIR %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="90" />
        <source>1 structured report</source>
        <translation>構造化レポート 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="91" />
        <source>%1 structured reports</source>
        <translation>構造化レポート %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="93" />
        <source>1 presentation state</source>
        <translation>プレゼンテーションステート 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="94" />
        <source>%1 presentation states</source>
        <translation>プレゼンテーションステート %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="96" />
        <source>1 radiotherapy object</source>
        <translation>放射線治療オブジェクト 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="97" />
        <source>%1 radiotherapy objects</source>
        <translation>放射線治療オブジェクト %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="99" />
        <source>1 encapsulated document</source>
        <translation>カプセル化文書 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="100" />
        <source>%1 encapsulated documents</source>
        <translation>カプセル化文書 %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="102" />
        <source>1 waveform</source>
        <translation>波形 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="102" />
        <source>%1 waveforms</source>
        <translation>波形 %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="104" />
        <source>1 other object without pixel data</source>
        <translation>画素データのないその他のオブジェクト 1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="105" />
        <source>%1 other objects without pixel data</source>
        <translation>画素データのないその他のオブジェクト %1 件</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="107" />
        <source>1 localizer</source>
        <translation>位置決め画像 1 枚</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="107" />
        <source>%1 localizers</source>
        <translation>位置決め画像 %1 枚</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="116" />
        <source>Added 1 image.</source>
        <translation>画像を 1 枚追加しました。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="117" />
        <source>Added %1 images.</source>
        <translation>画像を %1 枚追加しました。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="121" />
        <source>1 file was already in the project and was left as it is.</source>
        <translation>1 個のファイルは既にプロジェクトにあるため、そのままにしました。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="122" />
        <source>%1 files were already in the project and were left as they are.</source>
        <translation>%1 個のファイルは既にプロジェクトにあるため、そのままにしました。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="131" />
        <source>Skipped, as not slices to label: %1.</source>
        <translation>ラベル付けするスライスではないため除外しました: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="137" />
        <source>1 file could not be read and was skipped:</source>
        <translation>1 個のファイルを読み込めなかったため、スキップしました:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="138" />
        <source>%1 files could not be read and were skipped:</source>
        <translation>%1 個のファイルを読み込めなかったため、スキップしました:</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="145" />
        <source>  … and %1 more.</source>
        <translation>  … ほか %1 件。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="148" />
        <source>The folder holds no DICOM, PNG, JPEG, TIFF or BMP files.</source>
        <translation>このフォルダーには DICOM、PNG、JPEG、TIFF、BMP ファイルがありません。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="154" />
        <source>Importing images</source>
        <translation>画像の取り込み</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="197" />
        <source>Cancelling…</source>
        <translation>キャンセルしています…</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="210" />
        <source>The import was cancelled. The images imported before it stopped stay in the project; importing the same folder again adds the rest.</source>
        <translation>取り込みを中止しました。中止までに取り込んだ画像はプロジェクトに残ります。同じフォルダーをもう一度取り込むと残りが追加されます。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="213" />
        <source>The import failed: %1</source>
        <translation>取り込みに失敗しました: %1</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="215" />
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="226" />
        <source>'%1' is not a folder.</source>
        <translation>'%1' はフォルダーではありません。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="231" />
        <source>The folder '%1' is not inside the project's image folder '%2'. A project imports only from its image folder: copy or move the images into it first.</source>
        <translation>フォルダー '%1' はプロジェクトの画像フォルダー '%2' の中にありません。プロジェクトは画像フォルダーからのみ取り込みます。先に画像をその中へコピーまたは移動してください。</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="242" />
        <source>Import images from a folder in the project's image folder</source>
        <translation>プロジェクトの画像フォルダー内のフォルダーから画像を取り込む</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.cpp" line="247" />
        <source>Import more images</source>
        <translation>画像を追加で取り込む</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::KeyBindings</name>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="44" />
        <source>Label class %1</source>
        <translation>分類 %1 のラベルを付ける</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="47" />
        <source>Skip the image</source>
        <translation>この画像をスキップ</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="49" />
        <source>Undo the last label</source>
        <translation>直前のラベルを取り消す</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="51" />
        <source>Next image</source>
        <translation>次の画像</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="53" />
        <source>Previous image</source>
        <translation>前の画像</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="55" />
        <source>Next slice of the series (towards the feet)</source>
        <translation>シリーズの次のスライス (足側へ)</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="58" />
        <source>Previous slice of the series (towards the head)</source>
        <translation>シリーズの前のスライス (頭側へ)</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="61" />
        <source>Heatmap overlay on/off</source>
        <translation>ヒートマップ表示のオン/オフ</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="63" />
        <source>Compare before and after</source>
        <translation>学習前と学習後を比較</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="65" />
        <source>Heatmaps on a common scale</source>
        <translation>ヒートマップを共通スケールで表示</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="67" />
        <source>Training panel</source>
        <translation>学習パネル</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="69" />
        <source>Keys and classes</source>
        <translation>キーと分類</translation>
    </message>
    <message>
        <location filename="../../ui/key_bindings.cpp" line="71" />
        <source>Save and quit</source>
        <translation>保存して終了</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::LabelWindow</name>
    <message>
        <location filename="../../ui/label_window.cpp" line="206" />
        <source>Training</source>
        <translation>学習</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="219" />
        <source>Rolling back to v%1...</source>
        <translation>v%1 に戻しています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="243" />
        <source>camlabel - %1</source>
        <translation>camlabel - %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="246" />
        <source>Opening the project...</source>
        <translation>プロジェクトを開いています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="247" />
        <source>The model is loading.</source>
        <translation>モデルを読み込んでいます。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="248" />
        <source>Opening %1...</source>
        <translation>%1 を開いています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="267" />
        <source>Model v%1 is current again; %2 later labels are being trained again.</source>
        <translation>モデル v%1 を現行に戻しました。その後のラベル %2 件を再学習しています。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="274" />
        <source>No rollback: %1</source>
        <translation>戻せません: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="315" />
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="316" />
        <source>&amp;Import more images...</source>
        <translation>画像を追加で取り込む(&amp;I)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="324" />
        <source>&amp;Settings...</source>
        <translation>設定(&amp;S)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="326" />
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="328" />
        <source>&amp;Label</source>
        <translation>ラベル(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="330" />
        <source>Class %1</source>
        <translation>分類 %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="335" />
        <source>&amp;Skip</source>
        <translation>スキップ(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="336" />
        <source>&amp;Undo the last label</source>
        <translation>直前のラベルを取り消す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="338" />
        <source>Reader &amp;agreement...</source>
        <translation>読影者間の一致(&amp;A)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="341" />
        <source>&amp;Disagreements...</source>
        <translation>不一致(&amp;D)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="349" />
        <source>A team project's slices on which readers disagree, to adjudicate</source>
        <translation>チームプロジェクトで読影者の分類が分かれたスライス (裁定用)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="350" />
        <source>Double &amp;reading...</source>
        <translation>二重読影(&amp;R)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="359" />
        <source>How many readers read each slice of a team project, and whether blinded</source>
        <translation>チームプロジェクトで各スライスを何人が読影するか、盲検にするか</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="361" />
        <source>&amp;Next slice</source>
        <translation>次のスライス(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="364" />
        <source>In &amp;file order</source>
        <translation>ファイル順(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="366" />
        <source>&amp;Spread over each series (evenly spaced slices first)</source>
        <translation>各シリーズに分散 (等間隔のスライスから)(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="367" />
        <source>&amp;Random</source>
        <translation>ランダム(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="369" />
        <source>The &amp;model's choice (the slice it is least sure of)</source>
        <translation>モデルの選択 (最も迷っているスライス)(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="379" />
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="380" />
        <source>&amp;Next image</source>
        <translation>次の画像(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="381" />
        <source>&amp;Previous image</source>
        <translation>前の画像(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="383" />
        <source>Next slice of the &amp;series</source>
        <translation>シリーズの次のスライス(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="385" />
        <source>Previous slice of the s&amp;eries</source>
        <translation>シリーズの前のスライス(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="388" />
        <location filename="../../ui/label_window_view.cpp" line="322" />
        <source>&amp;Heatmap overlay (%1)</source>
        <translation>ヒートマップ表示 (%1)(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="391" />
        <source>&amp;Compare before and after</source>
        <translation>学習前と学習後を比較(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="394" />
        <source>&amp;Training panel</source>
        <translation>学習パネル(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="397" />
        <source>Heatmaps on a common &amp;scale</source>
        <translation>ヒートマップを共通スケールで表示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="401" />
        <source>Zoom &amp;in</source>
        <translation>拡大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="405" />
        <source>Zoom &amp;out</source>
        <translation>縮小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="408" />
        <source>&amp;Fit the image</source>
        <translation>画像全体を表示(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="416" />
        <source>&amp;Trust</source>
        <translation>信頼性(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="417" />
        <source>Export a report &amp;figure...</source>
        <translation>レポート用の図を書き出す(&amp;F)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="420" />
        <source>Comparison &amp;grid...</source>
        <translation>比較グリッド(&amp;G)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="423" />
        <source>&amp;Localisation scores...</source>
        <translation>局在スコア(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="426" />
        <source>&amp;Position bias...</source>
        <translation>位置バイアス(&amp;P)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="429" />
        <source>&amp;Sanity check of the heatmap...</source>
        <translation>ヒートマップの妥当性チェック(&amp;S)...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="434" />
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="435" />
        <source>&amp;Keys and classes</source>
        <translation>キーと分類(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="479" />
        <source>Heatmap</source>
        <translation>ヒートマップ</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="486" />
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="500" />
        <source>Method</source>
        <translation>手法</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="506" />
        <source>Score-CAM runs the model once per channel: here on the %1 most active ones, so it takes a few seconds.</source>
        <translation>Score-CAM はチャネルごとにモデルを 1 回実行します。ここでは活性の高い %1 チャネルのみを使うため、数秒かかります。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="515" />
        <source>Class</source>
        <translation>分類</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="518" />
        <location filename="../../ui/label_window.cpp" line="728" />
        <source>top-1</source>
        <translation>最上位 (top-1)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="527" />
        <source>Colour map</source>
        <translation>カラーマップ</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="541" />
        <source>After model</source>
        <translation>学習後のモデル</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="544" />
        <location filename="../../ui/label_window_view.cpp" line="168" />
        <source>current</source>
        <translation>現在</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="548" />
        <source>ImageNet class</source>
        <translation>ImageNet のクラス</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="553" />
        <source>The class the ImageNet model's heatmap shows: one of its five most probable.</source>
        <translation>ImageNet モデルのヒートマップが示すクラス: 確率の高い上位 5 つのうちの 1 つ。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="578" />
        <source>These keys do nothing, each is bound to more than one command: %1</source>
        <translation>次のキーは複数のコマンドに割り当てられているため、何もしません: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="720" />
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="736" />
        <source>The project has no images yet: import some with camlabel-cli import.</source>
        <translation>プロジェクトに画像がありません: camlabel-cli import で取り込んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="738" />
        <source>No image.</source>
        <translation>画像なし。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="739" />
        <source>The project has no images.</source>
        <translation>プロジェクトに画像がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="750" />
        <source>at image %1 of %2</source>
        <translation>%2 枚中 %1 枚目</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="752" />
        <source>model v%1 (%2 in the project)</source>
        <translation>モデル v%1 (プロジェクト内 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="756" />
        <source>%1 to train again</source>
        <translation>再学習 %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="758" />
        <source>Opened %1.</source>
        <translation>%1 を開きました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="759" />
        <source>Resumed %1.</source>
        <translation>再開しました: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="761" />
        <source> Damaged model versions skipped: %1.</source>
        <translation> 破損したモデル版をスキップ: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="776" />
        <source>Cannot open the project.

%1</source>
        <translation>プロジェクトを開けません。

%1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="777" />
        <source>No project is open.</source>
        <translation>プロジェクトが開かれていません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="803" />
        <source>Saving the model...</source>
        <translation>モデルを保存しています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window.cpp" line="803" />
        <source>Closing...</source>
        <translation>終了しています...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="39" />
        <source>%1 of the heatmap lies in the image border: the model may be reading labels, markers or scanner text (threshold %2)</source>
        <translation>ヒートマップの %1 が画像の縁にあります。モデルが文字、マーカー、装置の表示を読んでいるかもしれません (しきい値 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="44" />
        <source>%1 of the heatmap lies in the image corners: the model may be reading labels, markers or scanner text (threshold %2)</source>
        <translation>ヒートマップの %1 が画像の四隅にあります。モデルが文字、マーカー、装置の表示を読んでいるかもしれません (しきい値 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="50" />
        <source>the heatmap is empty: the model found no evidence for this class</source>
        <translation>ヒートマップが空です。モデルはこの分類の根拠を見つけませんでした</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="51" />
        <source>the heatmap is spread almost evenly (entropy %1 of 1, threshold %2): nothing specific was found</source>
        <translation>ヒートマップがほぼ均等に広がっています (エントロピー %1 / 1、しきい値 %2)。特定の部位は見つかりませんでした</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="56" />
        <source>%1 of the heatmap lies outside the body (threshold %2)</source>
        <translation>ヒートマップの %1 が体外にあります (しきい値 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="59" />
        <source>%1 of the heatmap lies outside the lungs (threshold %2)</source>
        <translation>ヒートマップの %1 が肺の外にあります (しきい値 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="65" />
        <source>%1 of the heatmap lies on the image's left half (the patient's right) for a finding that is not lateral: a position bias? (threshold %2)</source>
        <translation>左右差のない所見なのに、ヒートマップの %1 が画像の左半分 (患者の右側) にあります。位置の偏りかもしれません (しきい値 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="68" />
        <source>%1 of the heatmap lies on the image's right half (the patient's left) for a finding that is not lateral: a position bias? (threshold %2)</source>
        <translation>左右差のない所見なのに、ヒートマップの %1 が画像の右半分 (患者の左側) にあります。位置の偏りかもしれません (しきい値 %2)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="109" />
        <source>Loading...</source>
        <translation>読み込み中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="110" />
        <source>Predicting...</source>
        <translation>予測中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="128" />
        <source>Wait for the image to appear before labelling it.</source>
        <translation>画像が表示されてからラベルを付けてください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="129" />
        <source>This image cannot be shown, so it cannot be labelled: press S to skip it or Right to go on.</source>
        <translation>この画像は表示できないためラベルを付けられません: S でスキップするか → で次へ進んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="141" />
        <source>Image %1 labelled %2.</source>
        <translation>画像 %1 に %2 を付けました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="145" />
        <source>Image %1 labelled %2. No other slice needs your reading: the rest have their readings (double reading).</source>
        <translation>画像 %1 を %2 にラベル付けしました。ほかにあなたの読影が必要なスライスはありません: 残りは読影がそろっています (二重読影)。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="149" />
        <source>Image %1 labelled %2. Every image has a label now.</source>
        <translation>画像 %1 に %2 を付けました。すべての画像にラベルが付きました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="168" />
        <source>Image %1 skipped.</source>
        <translation>画像 %1 をスキップしました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="172" />
        <source>Image %1 skipped. No other slice needs your reading: the rest have their readings (double reading).</source>
        <translation>画像 %1 をスキップしました。ほかにあなたの読影が必要なスライスはありません: 残りは読影がそろっています (二重読影)。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="175" />
        <source>Image %1 skipped. Every image has a decision now.</source>
        <translation>画像 %1 をスキップしました。すべての画像が判定済みです。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="187" />
        <source>Nothing to undo.</source>
        <translation>取り消す操作がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="192" />
        <source>Undid the last decision, on image %1.</source>
        <translation>画像 %1 の直前の判定を取り消しました。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="203" />
        <source> The next slice was not chosen yet: file order.</source>
        <translation> 次のスライスはまだ選ばれていません: ファイル順です。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="207" />
        <source> Next: a random slice.</source>
        <translation> 次: ランダムなスライス。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="209" />
        <source> Next: the slice farthest from those decided in its series.</source>
        <translation> 次: シリーズ内で判定済みのスライスから最も離れたスライス。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="211" />
        <source> Next in file order while the model looks at the slices (%1 of %2 so far).</source>
        <translation> モデルがスライスを調べている間はファイル順です (これまで %2 枚中 %1 枚)。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="219" />
        <source> Next: the slice least like those labelled so far (the model has not learned yet).</source>
        <translation> 次: ラベル済みのスライスと最も似ていないスライス (モデルはまだ学習していません)。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="225" />
        <source> Next: the model is unsure between %1 (%2%) and %3 (%4%).</source>
        <translation> 次: モデルは %1 (%2%) と %3 (%4%) の間で迷っています。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="311" />
        <source>%1

Press S to skip this image or Right to go on.</source>
        <translation>%1

S でこの画像をスキップするか → で次へ進んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="312" />
        <source>No prediction: the image cannot be read.</source>
        <translation>予測なし: 画像を読み込めません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="338" />
        <source>No prediction: %1</source>
        <translation>予測なし: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="361" />
        <source>Heatmap: %1 for %2 (%3%), model %4. Checks: %5.</source>
        <translation>ヒートマップ: %2 (%3%) の %1、モデル %4。チェック: %5。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="366" />
        <source>no warning signs</source>
        <translation>警告なし</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_labelling.cpp" line="374" />
        <source>No heatmap: %1</source>
        <translation>ヒートマップなし: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="107" />
        <source>last layer only (head)</source>
        <translation>最後の層のみ (head)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="108" />
        <source>whole network (full)</source>
        <translation>ネットワーク全体 (full)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="109" />
        <source>automatic (whole network without a weights file)</source>
        <translation>自動 (重みファイルなしはネットワーク全体)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="110" />
        <source>last block and head (layer4)</source>
        <translation>最後のブロックと出力層 (layer4)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="121" />
        <source>Training: %1, a version every %2 labels.</source>
        <translation>学習: %1、%2 ラベルごとに版を保存。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="125" />
        <source>From the next opening: %1, every %2 labels.</source>
        <translation>次に開いたときから: %1、%2 ラベルごと。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="149" />
        <source>Heatmaps on a common scale: a weaker map looks weaker.</source>
        <translation>ヒートマップを共通スケールで表示: 弱い根拠は弱く見えます。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="150" />
        <source>Each heatmap on its own scale.</source>
        <translation>各ヒートマップを個別のスケールで表示。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="196" />
        <source>model v%1 is not recorded</source>
        <translation>モデル v%1 は記録されていません</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="201" />
        <source>Before: computing...</source>
        <translation>学習前: 計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="202" />
        <source>After: computing...</source>
        <translation>学習後: 計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="241" />
        <source>Before: %1 - %2 (%3%)</source>
        <translation>学習前: %1 - %2 (%3%)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="247" />
        <source>After: model %1 - %2 (%3%)</source>
        <translation>学習後: モデル %1 - %2 (%3%)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="472" />
        <source>Moved on to image %1: the first slice had its readings without you (double reading).</source>
        <translation>画像 %1 に進みました: 最初のスライスはあなた抜きで読影がそろっていました (二重読影)。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="480" />
        <source>Team server: connecting…</source>
        <translation>チームサーバー: 接続中…</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="482" />
        <source>Team server: all labels sent</source>
        <translation>チームサーバー: すべてのラベルを送信済み</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="484" />
        <source>Team server: sending %1</source>
        <translation>チームサーバー: %1 を送信中</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="486" />
        <source>Team server refused the labels: %1 kept on this computer (see why in the tooltip)</source>
        <translation>チームサーバーがラベルを拒否しました: %1 をこのコンピューターに保存しています (理由はツールチップに表示)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="490" />
        <source>Team server unreachable: %1 kept on this computer, sent when it is back</source>
        <translation>チームサーバーに接続できません: %1 をこのコンピューターに保存し、接続が戻ると送信します</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="497" />
        <source>The model learns from your labels only (Settings: the team's consensus).</source>
        <translation>モデルは自分のラベルだけから学習しています (設定でチームの合意に切り替えられます)。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="499" />
        <source>The model learns from the team's consensus once the team's labels have been read; until then from yours.</source>
        <translation>チームのラベルを読み込むと、モデルはチームの合意から学習します。それまでは自分のラベルから学習します。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="503" />
        <source>The model learns from the team's consensus: %1 slices, %2 of them labelled by other readers only; %3 left out while readers disagree (Label &gt; Disagreements…).</source>
        <translation>モデルはチームの合意から学習しています: %1 スライス、うち %2 は他の読影者だけがラベル付け。読影者の分類が分かれている %3 スライスは除外 (ラベル &gt; 不一致…)。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="511" />
        <source>Double reading (readings per slice: %1), blinded: %2 slices other readers labelled wait for your reading (their labels stay out of your model until then); %3 slices have their readings without you and are not offered.</source>
        <translation>二重読影 (各スライス %1 人、盲検): 他の読影者がラベルを付けた %2 スライスがあなたの読影を待っています (それまで他の読影者のラベルはあなたのモデルに入りません)。%3 スライスはあなた抜きで読影がそろったため提示されません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="515" />
        <source>Double reading (readings per slice: %1): %2 slices other readers labelled wait for your reading; %3 slices have their readings without you and are not offered.</source>
        <translation>二重読影 (各スライス %1 人): 他の読影者がラベルを付けた %2 スライスがあなたの読影を待っています。%3 スライスはあなた抜きで読影がそろったため提示されません。</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="192" />
        <location filename="../../ui/label_window_view.cpp" line="196" />
        <location filename="../../ui/label_window_view.cpp" line="260" />
        <source>No comparison: %1</source>
        <translation>比較なし: %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="247" />
        <source>After: %1 - %2 (%3%)</source>
        <translation>学習後: %1 - %2 (%3%)</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="276" />
        <source>Computing the heatmap...</source>
        <translation>ヒートマップを計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="386" />
        <source>Computing the heatmaps...</source>
        <translation>ヒートマップを計算中...</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="409" />
        <source>Image %1 of %2</source>
        <translation>%2 枚中 %1 枚目</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="430" />
        <source>Labelled %1, skipped %2, unlabelled %3</source>
        <translation>ラベル済み %1、スキップ %2、未ラベル %3</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="438" />
        <source>, right %1% of the last %2</source>
        <translation>、直近 %2 件の正解率 %1%</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="451" />
        <source>Training: %1 queued, %2 seen</source>
        <translation>学習: 待機 %1、学習済み %2</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="453" />
        <source>, %1 steps, loss %2</source>
        <translation>、%1 ステップ、損失 %2</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="455" />
        <source>, learning while you read</source>
        <translation>、読影中も学習中</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="457" />
        <source> | Model %1</source>
        <translation> | モデル %1</translation>
    </message>
    <message>
        <location filename="../../ui/label_window_view.cpp" line="461" />
        <source> | Training problem: %1</source>
        <translation> | 学習の問題: %1</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::LocalisationDialog</name>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="90" />
        <source>Localisation scores</source>
        <translation>局在スコア</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="105" />
        <source>A CSV of file,label rows</source>
        <translation>file,label の行からなる CSV</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="106" />
        <source>8-bit lesion masks named as the images</source>
        <translation>画像と同じ名前の 8 ビット病変マスク</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="107" />
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="108" />
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="120" />
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="132" />
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="168" />
        <source>Labels CSV</source>
        <translation>ラベル CSV</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="133" />
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="173" />
        <source>Masks folder</source>
        <translation>マスクのフォルダー</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="134" />
        <source>Methods</source>
        <translation>手法</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="135" />
        <source>Layer</source>
        <translation>層</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="136" />
        <source>Tolerance</source>
        <translation>許容幅</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="137" />
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="140" />
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="140" />
        <source>Method</source>
        <translation>手法</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="140" />
        <source>Images</source>
        <translation>画像</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="140" />
        <source>Pointing game</source>
        <translation>ポインティングゲーム</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="141" />
        <source>Energy inside</source>
        <translation>マスク内のエネルギー</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="141" />
        <source>Chance (mask area)</source>
        <translation>偶然の水準 (マスク面積)</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="148" />
        <source>Rows left out</source>
        <translation>除外した行</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="151" />
        <source>Explains the true class of each listed image that has a lesion mask and scores the map against the mask: pointing game (the map's peak inside the mask, within the tolerance) and the share of the map's energy inside. The masks' mean area is what chance would score.</source>
        <translation>一覧の画像のうち病変マスクのあるものについて正解クラスを説明し、マップをマスクと照合して採点します: ポインティングゲーム (マップの最大点が許容幅の範囲でマスク内にあるか) と、マップのエネルギーのうちマスク内にある割合です。マスクの平均面積が偶然で得られる水準です。</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="168" />
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="191" />
        <source>Choose the labels CSV (file,label rows).</source>
        <translation>ラベル CSV (file,label の行) を選んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="195" />
        <source>Choose the folder of lesion masks.</source>
        <translation>病変マスクのフォルダーを選んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="205" />
        <source>Choose at least one model.</source>
        <translation>モデルを 1 つ以上選んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="264" />
        <source>The best of this column</source>
        <translation>この列で最良の値</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="275" />
        <source>%1 (%2/%3, chance %4)</source>
        <translation>%1 (%2/%3、偶然の水準 %4)</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="280" />
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="282" />
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="284" />
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="307" />
        <source>No listed image has a lesion mask: there is nothing to score.</source>
        <translation>一覧のどの画像にも病変マスクがないため、採点するものがありません。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="308" />
        <source>Scored %n image(s) with a lesion mask; rows left out: %1.</source>
        <translation><numerusform>病変マスクのある画像 %n 枚を採点しました。除外した行: %1。</numerusform></translation>
    </message>
</context>
<context>
    <name>camlabel::ui::PositionBiasDialog</name>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="318" />
        <source>Position bias</source>
        <translation>位置バイアス</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="330" />
        <source>A heatmap is one-sided when one half of the image holds more than this share of it.</source>
        <translation>画像の左右どちらか半分にヒートマップのこの割合を超える量が集まるとき、片側寄りとみなします。</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="333" />
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="334" />
        <source>Only the first labelled images, in the order of the project.</source>
        <translation>プロジェクトの順で、最初のラベル付き画像だけを使います。</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="342" />
        <source>The project has no labelled image yet.</source>
        <translation>プロジェクトにはまだラベル付き画像がありません。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="343" />
        <source>%n labelled image(s)</source>
        <translation><numerusform>ラベル付き画像 %n 枚</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="347" />
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="348" />
        <source>Method</source>
        <translation>手法</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="349" />
        <source>Layer</source>
        <translation>層</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="350" />
        <source>One-sided above</source>
        <translation>片側寄りの閾値</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="351" />
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="355" />
        <source>Images</source>
        <translation>画像</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="355" />
        <source>Images of</source>
        <translation>対象画像</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="355" />
        <source>One-sided</source>
        <translation>片側寄り</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="355" />
        <source>Share</source>
        <translation>割合</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="356" />
        <source>Mean left share</source>
        <translation>左側の平均割合</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="356" />
        <source>Biased?</source>
        <translation>バイアスあり?</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="366" />
        <source>Images left out</source>
        <translation>除外した画像</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="368" />
        <source>Explains the labelled class of each labelled image and measures how much of the heatmap lies in the left half. When most maps are one-sided, the model may be looking at position, markers or text rather than the finding.</source>
        <translation>各ラベル付き画像についてラベルのクラスを説明し、ヒートマップのうち左半分にある割合を測ります。多くのマップが片側に寄っている場合、モデルは所見ではなく位置、マーカー、文字を見ている可能性があります。</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="407" />
        <source>The project has no labelled image yet: label images first, then look for position bias.</source>
        <translation>プロジェクトにはまだラベル付き画像がありません。先に画像にラベルを付けてから、位置バイアスを調べてください。</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="458" />
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="458" />
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="474" />
        <source>All images</source>
        <translation>全画像</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="481" />
        <source>Explained %n image(s) with %1; %2 left out.</source>
        <translation><numerusform>%1 で %n 枚の画像を説明しました。%2 枚を除外しました。</numerusform></translation>
    </message>
</context>
<context>
    <name>camlabel::ui::PredictionPanel</name>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="23" />
        <source>Prediction</source>
        <translation>予測</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="45" />
        <source>No image.</source>
        <translation>画像なし。</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="64" />
        <source>Model: %1</source>
        <translation>モデル: %1</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="69" />
        <source>Untrained model: random weights (no ImageNet weights file is configured) that have not learned from any label yet. This prediction means nothing.</source>
        <translation>未学習のモデル: ランダムな重み (ImageNet の重みファイルが設定されていません) で、まだどのラベルからも学習していません。この予測には意味がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="73" />
        <source>Untrained model: the ImageNet model has not learned from any label yet. This prediction means nothing.</source>
        <translation>未学習のモデル: ImageNet モデルはまだどのラベルからも学習していません。この予測には意味がありません。</translation>
    </message>
    <message>
        <location filename="../../ui/prediction_panel.cpp" line="77" />
        <source>Started from random weights (no ImageNet weights file is configured): trust it only after many labels.</source>
        <translation>ランダムな重みから学習しています (ImageNet の重みファイルが設定されていません): 多くのラベルで学習するまで信頼しないでください。</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::ProjectWizard</name>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="70" />
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="126" />
        <source>Choose a folder for the new project.</source>
        <translation>新しいプロジェクトのフォルダーを選んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="129" />
        <source>'%1' is a file, not a folder.</source>
        <translation>'%1' はファイルです。フォルダーではありません。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="131" />
        <source>'%1' already holds a camlabel project: open it instead.</source>
        <translation>'%1' には既に camlabel プロジェクトがあります。そちらを開いてください。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="134" />
        <source>'%1' is not empty. Choose a new or empty folder for the project, so that nothing in it is mixed with the project's files.</source>
        <translation>'%1' は空ではありません。中のものがプロジェクトのファイルと混ざらないよう、新しいフォルダーか空のフォルダーを選んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="139" />
        <source>camlabel cannot write in '%1': choose a folder you may write to.</source>
        <translation>camlabel は '%1' に書き込めません。書き込み可能なフォルダーを選んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="144" />
        <source>The folder '%1' cannot be created: '%2' is not a folder.</source>
        <translation>フォルダー '%1' を作成できません: '%2' はフォルダーではありません。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="147" />
        <source>The folder '%1' cannot be created: camlabel cannot write in '%2'.</source>
        <translation>フォルダー '%1' を作成できません: camlabel は '%2' に書き込めません。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="157" />
        <source>Choose the folder with the images to import.</source>
        <translation>取り込む画像のあるフォルダーを選んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="159" />
        <source>The image folder '%1' is not a folder.</source>
        <translation>画像フォルダー '%1' はフォルダーではありません。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="164" />
        <source>The image folder '%1' cannot be read: %2</source>
        <translation>画像フォルダー '%1' を読み込めません: %2</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="168" />
        <source>The image folder '%1' holds no DICOM, PNG, JPEG, TIFF or BMP files (sub-folders included).</source>
        <translation>画像フォルダー '%1' には DICOM、PNG、JPEG、TIFF、BMP ファイルがありません (サブフォルダーを含む)。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="196" />
        <source>Folders</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="197" />
        <source>The project keeps its labels and model versions in a folder of its own. Images in a folder are only read; slices from a PACS are copied into the project.</source>
        <translation>プロジェクトはラベルとモデルのバージョンを専用のフォルダーに保存します。フォルダーの画像は読み取るだけで、PACS のスライスはプロジェクトにコピーします。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="203" />
        <source>Project folder (new or empty):</source>
        <translation>プロジェクトフォルダー (新規または空):</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="206" />
        <source>A folder (also a patient CD or a PACS export)</source>
        <translation>フォルダー (患者 CD や PACS の書き出しも)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="207" />
        <source>A PACS (query and retrieve)</source>
        <translation>PACS (検索と取得)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="208" />
        <source>Slices from:</source>
        <translation>スライスの取得元:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="210" />
        <source>Images to import (DICOM, PNG, JPEG, TIFF, BMP; sub-folders included):</source>
        <translation>取り込む画像 (DICOM、PNG、JPEG、TIFF、BMP、サブフォルダーを含む):</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="216" />
        <source>PACS address:</source>
        <translation>PACS のアドレス:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="218" />
        <source>One study, by its Study Instance UID</source>
        <translation>1 検査 (Study Instance UID で指定)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="219" />
        <source>Every study of a patient, by patient ID</source>
        <translation>患者のすべての検査 (患者 ID で指定)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="222" />
        <source>Take:</source>
        <translation>取得する対象:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="223" />
        <location filename="../../ui/project_wizard.cpp" line="264" />
        <source>Study Instance UID:</source>
        <translation>Study Instance UID:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="227" />
        <source>This workstation's AE title:</source>
        <translation>この端末の AE タイトル:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="228" />
        <source>Find series</source>
        <translation>シリーズを検索</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="295" />
        <source>To choose among the series, find them first; otherwise every CT series is retrieved.</source>
        <translation>シリーズを選ぶには先に検索してください。検索しなければ CT シリーズをすべて取得します。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="235" />
        <source>Series:</source>
        <translation>シリーズ:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="241" />
        <source>CT series only, by C-FIND and C-GET; the PACS must know this workstation's AE title. The address is remembered on this computer, not in the project.</source>
        <translation>CT シリーズだけを C-FIND と C-GET で取得します。PACS 側でこの端末の AE タイトルを登録してください。アドレスはこのコンピューターに記憶し、プロジェクトには保存しません。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="252" />
        <source>Project folder</source>
        <translation>プロジェクトフォルダー</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="256" />
        <source>Image folder</source>
        <translation>画像フォルダー</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="265" />
        <source>Patient ID:</source>
        <translation>患者 ID:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="319" />
        <source>Asking the PACS for the series…</source>
        <translation>PACS にシリーズを問い合わせています…</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="335" />
        <source>The PACS could not be asked for the series.</source>
        <translation>PACS にシリーズを問い合わせられませんでした。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="347" />
        <source>The PACS has no CT series for this query.</source>
        <translation>この条件に合う CT シリーズは PACS にありません。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="351" />
        <source>Series %1</source>
        <translation>シリーズ %1</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="352" />
        <source>Series without a number</source>
        <translation>番号のないシリーズ</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="356" />
        <source>Study %1, %2</source>
        <translation>検査 %1、%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/project_wizard.cpp" line="361" />
        <source>(%n image(s))</source>
        <translation><numerusform>(%n 枚)</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/project_wizard.cpp" line="367" />
        <source>%n CT series found: the ticked ones are retrieved.</source>
        <translation><numerusform>CT シリーズが %n 件見つかりました: チェックしたものを取得します。</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="395" />
        <source>Enter the Study Instance UID of the study to take.</source>
        <translation>取得する検査の Study Instance UID を入力してください。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="396" />
        <source>Enter the patient ID whose studies to take.</source>
        <translation>検査を取得する患者の ID を入力してください。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="419" />
        <source>Tick at least one series to retrieve.</source>
        <translation>取得するシリーズを 1 つ以上チェックしてください。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="450" />
        <source>Classes and model</source>
        <translation>分類とモデル</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="452" />
        <source>Create project</source>
        <translation>プロジェクトを作成</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="465" />
        <source>ILD patterns (pattern)</source>
        <translation>ILD パターン (pattern)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="466" />
        <source>CT findings (features)</source>
        <translation>CT 所見 (features)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="470" />
        <source>Class scheme:</source>
        <translation>分類スキーム:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="472" />
        <source>Download…</source>
        <translation>ダウンロード…</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="475" />
        <source>ResNet50 weights (optional):</source>
        <translation>ResNet50 の重み (任意):</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="477" />
        <source>torchvision's ImageNet file (resnet50-11ad3fa6.pth or resnet50-0676ba61.pth). Without one the model starts untrained and learns only from your labels.</source>
        <translation>torchvision の ImageNet 重みファイル (resnet50-11ad3fa6.pth または resnet50-0676ba61.pth)。指定しない場合、モデルは未学習の状態から始まり、付けたラベルだけから学習します。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="484" />
        <source> labels</source>
        <translation> ラベル</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="485" />
        <source>Keep a model version every:</source>
        <translation>モデル版を保存する間隔:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="487" />
        <source>Automatic: whole network without a weights file, last block with one (recommended)</source>
        <translation>自動: 重みファイルなしはネットワーク全体、ありは最終ブロック (推奨)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="490" />
        <source>Last layer only (head): fastest</source>
        <translation>最終層のみ (head): 最も速い</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="491" />
        <source>Last block and head (layer4)</source>
        <translation>最終ブロックと最終層 (layer4)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="492" />
        <source>Whole network (full)</source>
        <translation>ネットワーク全体 (full)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="495" />
        <source>Training:</source>
        <translation>学習:</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="501" />
        <source>Team server (optional):</source>
        <translation>チームサーバー (任意):</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="503" />
        <source>For a team that labels the same slices: each reader makes a project with the same PostgreSQL server, and the labels meet there. The password comes from ~/.pgpass, never from this address.</source>
        <translation>同じスライスにラベルを付けるチーム向け: 各読影者が同じ PostgreSQL サーバーでプロジェクトを作り、ラベルはそこに集まります。パスワードはこのアドレスではなく ~/.pgpass から渡します。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="514" />
        <source>ResNet50 weights</source>
        <translation>ResNet50 の重み</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="515" />
        <source>PyTorch weights (*.pth *.pt);;All files (*)</source>
        <translation>PyTorch の重み (*.pth *.pt);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="525" />
        <source>The CT series will be retrieved from the PACS '%1' at %2:%3 into the project's folder (images/pacs).</source>
        <translation>CT シリーズを PACS '%1' (%2:%3) からプロジェクトのフォルダー (images/pacs) に取得します。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="531" />
        <source>%1 image files found in '%2'.</source>
        <translation>'%2' に画像ファイルが %1 個見つかりました。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="540" />
        <source>Checking the team server…</source>
        <translation>チームサーバーを確認しています…</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="576" />
        <source>The weights file '%1' cannot be read.</source>
        <translation>重みファイル '%1' を読み込めません。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="602" />
        <source>The project could not be created: %1</source>
        <translation>プロジェクトを作成できませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="634" />
        <source>Importing images</source>
        <translation>画像の取り込み</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="636" />
        <source>Cancel stops the import; the project keeps the images imported so far, and importing again adds the rest.</source>
        <translation>キャンセルで取り込みを中止します。それまでに取り込んだ画像はプロジェクトに残り、もう一度取り込むと残りが追加されます。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="638" />
        <source>Open project</source>
        <translation>プロジェクトを開く</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="646" />
        <source>Retrieve again</source>
        <translation>もう一度取得</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="648" />
        <source>Fetches the files that have not arrived, then imports</source>
        <translation>まだ届いていないファイルを取得して取り込みます</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="695" />
        <source>From the PACS: %1.</source>
        <translation>PACS から: %1。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="699" />
        <source>The retrieval was cancelled. The files that arrived are kept in the project's folder (images/pacs): Retrieve again fetches the rest and imports them.</source>
        <translation>取得を中止しました。届いたファイルはプロジェクトのフォルダー (images/pacs) に残っています: 「もう一度取得」で残りを取得して取り込みます。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="704" />
        <source>The import was cancelled. The project keeps the images imported so far; Import more images… on its image folder adds the rest.</source>
        <translation>取り込みを中止しました。それまでに取り込んだ画像はプロジェクトに残ります。画像フォルダーに対して「画像を追加で取り込む…」を行うと残りが追加されます。</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="708" />
        <source>The import failed: %1</source>
        <translation>取り込みに失敗しました: %1</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="715" />
        <source>Importing images…</source>
        <translation>画像を取り込んでいます…</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="736" />
        <source>New project</source>
        <translation>新しいプロジェクト</translation>
    </message>
    <message>
        <location filename="../../ui/project_wizard.cpp" line="819" />
        <source>Cancelling…</source>
        <translation>キャンセルしています…</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::ResumeSummary</name>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="27" />
        <source>The project has no images yet</source>
        <translation>プロジェクトにはまだ画像がありません</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="29" />
        <source>Resumed at image %1 of %2</source>
        <translation>%2 枚中 %1 枚目から再開</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="31" />
        <source>Starting at the first unlabelled image of %1</source>
        <translation>%1 枚のうち最初の未ラベル画像から開始</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="39" />
        <source>with model v%1 (1 label)</source>
        <translation>モデル v%1 (ラベル 1 件で学習)</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="40" />
        <source>with model v%1 (%2 labels)</source>
        <translation>モデル v%1 (ラベル %2 件で学習)</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="42" />
        <source>with the starting model</source>
        <translation>初期モデル</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="45" />
        <source>%1 %2.</source>
        <translation>%1、%2。</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="49" />
        <source>1 label given after v%1 is being trained again.</source>
        <translation>v%1 の後に付けたラベル 1 件を再学習しています。</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="51" />
        <source>%2 labels given after v%1 are being trained again.</source>
        <translation>v%1 の後に付けたラベル %2 件を再学習しています。</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="55" />
        <source>1 label is being trained again.</source>
        <translation>ラベル 1 件を再学習しています。</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="56" />
        <source>%1 labels are being trained again.</source>
        <translation>ラベル %1 件を再学習しています。</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="61" />
        <source>Skipped a damaged checkpoint: %1</source>
        <translation>破損したチェックポイントをスキップしました: %1</translation>
    </message>
    <message>
        <location filename="../../ui/resume_summary.cpp" line="93" />
        <source>Session resumed</source>
        <translation>セッションを再開しました</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::SanityCheckDialog</name>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="55" />
        <source>Sanity check</source>
        <translation>妥当性チェック</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="70" />
        <source>Flag a method when its map, with every layer random, still has at least this rank correlation with the original</source>
        <translation>すべての層をランダムにしても元のマップとの順位相関がこの値以上ある手法に警告を付ける</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="74" />
        <source>Image</source>
        <translation>画像</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="75" />
        <source>Methods</source>
        <translation>手法</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="76" />
        <source>Layer</source>
        <translation>層</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="77" />
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="78" />
        <source>Flag at correlation</source>
        <translation>警告する相関</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="82" />
        <source>Method</source>
        <translation>手法</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="82" />
        <source>Layers randomised</source>
        <translation>ランダム化した層</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="82" />
        <source>Spearman</source>
        <translation>Spearman</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="82" />
        <source>SSIM</source>
        <translation>SSIM</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="82" />
        <source>Flagged</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="89" />
        <source>Run check</source>
        <translation>チェックを実行</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="91" />
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="98" />
        <source>Randomises the model from the top layer down (Adebayo et al. 2018): a map that stays the same does not show what the model learned.</source>
        <translation>モデルを上の層から順にランダム化します (Adebayo ら 2018)。変化しないマップはモデルが学習した内容を示していません。</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="153" />
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="153" />
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="163" />
        <source>%1: flagged: the map barely changes when every layer is random (rank correlation %2, threshold %3): it does not show what the model learned</source>
        <translation>%1: 警告: すべての層をランダムにしてもマップがほとんど変わりません (順位相関 %2、しきい値 %3)。モデルが学習した内容を示していません</translation>
    </message>
    <message>
        <location filename="../../ui/sanity_check_dialog.cpp" line="166" />
        <source>%1: passes: the map changes when the model is randomised (rank correlation %2 with every layer random, threshold %3): it depends on the model</source>
        <translation>%1: 合格: モデルをランダムにするとマップが変わります (すべての層がランダムのときの順位相関 %2、しきい値 %3)。マップはモデルに依存しています</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::SessionWorker</name>
    <message>
        <location filename="../../ui/session_worker.cpp" line="263" />
        <source>The model gave no heatmap.</source>
        <translation>モデルはヒートマップを出しませんでした。</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="41" />
        <source>Border band (share of the side):</source>
        <translation>縁の帯 (辺に対する割合):</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="42" />
        <source>Warn above this share in the border:</source>
        <translation>縁の割合がこれを超えたら警告:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="43" />
        <source>Corner square (share of the side):</source>
        <translation>四隅の正方形 (辺に対する割合):</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="44" />
        <source>Warn above this share in the corners:</source>
        <translation>四隅の割合がこれを超えたら警告:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="45" />
        <source>Warn when spread evenly above:</source>
        <translation>一様さがこれを超えたら警告:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="47" />
        <source>Warn above this share outside the body:</source>
        <translation>体外の割合がこれを超えたら警告:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="49" />
        <source>Warn above this share outside the lungs:</source>
        <translation>肺外の割合がこれを超えたら警告:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="50" />
        <source>Warn when one side holds more than:</source>
        <translation>片側の割合がこれを超えたら警告:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="51" />
        <source>Body: above</source>
        <translation>体: これより上 (HU)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="52" />
        <source>Lungs: below</source>
        <translation>肺: これより下 (HU)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="70" />
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="73" />
        <source>Interface</source>
        <translation>表示</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="81" />
        <source>Language:</source>
        <translation>言語:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="83" />
        <source>The language changes the next time camlabel starts.</source>
        <translation>言語は次回 camlabel を起動したときに切り替わります。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="88" />
        <source>Keys</source>
        <translation>キー</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="91" />
        <source>Command</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="91" />
        <source>Key</source>
        <translation>キー</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="91" />
        <source>Other key</source>
        <translation>別のキー</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="120" />
        <source>Restore defaults</source>
        <translation>既定に戻す</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="126" />
        <source>This project</source>
        <translation>このプロジェクト</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="130" />
        <source> labels</source>
        <translation> ラベル</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="131" />
        <source>Keep a model version every:</source>
        <translation>モデル版を保存する間隔:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="133" />
        <source>Automatic: whole network without a weights file, last block with one (recommended)</source>
        <translation>自動: 重みファイルなしはネットワーク全体、ありは最終ブロック (推奨)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="136" />
        <source>Last layer only (head): fastest</source>
        <translation>最終層のみ (head): 最も速い</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="137" />
        <source>Last block and head (layer4)</source>
        <translation>最終ブロックと最終層 (layer4)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="138" />
        <source>Whole network (full)</source>
        <translation>ネットワーク全体 (full)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="139" />
        <source>Training:</source>
        <translation>学習:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="140" />
        <source>Saved in the project. They apply the next time the project is opened; the training now running keeps its settings.</source>
        <translation>プロジェクトに保存されます。次にプロジェクトを開いたときから適用され、実行中の学習は現在の設定のまま続きます。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="153" />
        <source>The team's consensus: every reader's labels where they agree, and adjudications (recommended)</source>
        <translation>チームの合意: 読影者の分類が一致したラベルと裁定 (推奨)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="156" />
        <source>My labels only</source>
        <translation>自分のラベルのみ</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="157" />
        <source>The model learns from:</source>
        <translation>モデルの学習元:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="158" />
        <source>Changes what the model learns from as soon as you press OK; saved in the project.</source>
        <translation>OK を押すとすぐにモデルの学習元が変わります。プロジェクトに保存されます。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="173" />
        <source>Trust checks of the heatmap</source>
        <translation>ヒートマップの信頼性チェック</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="248" />
        <source>These keys do more than one thing; change them to save:</source>
        <translation>次のキーは複数の操作に割り当てられています。保存するには変更してください:</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.cpp" line="339" />
        <source>The project's settings could not be saved: %1</source>
        <translation>プロジェクトの設定を保存できませんでした: %1</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::SliceViewer</name>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="38" />
        <source>camlabel</source>
        <translation>camlabel</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="46" />
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="47" />
        <source>&amp;Open images...</source>
        <translation>画像を開く(&amp;O)...</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="50" />
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="53" />
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="54" />
        <source>&amp;Next image</source>
        <translation>次の画像(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="56" />
        <source>&amp;Previous image</source>
        <translation>前の画像(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="65" />
        <source>Open images</source>
        <translation>画像を開く</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="66" />
        <source>Images (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff *.bmp);;All files (*)</source>
        <translation>画像 (*.dcm *.dicom *.png *.jpg *.jpeg *.tif *.tiff *.bmp);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="92" />
        <source>No images found.</source>
        <translation>画像が見つかりません。</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="154" />
        <source>Open CT images with Ctrl+O.</source>
        <translation>Ctrl+O で CT 画像を開いてください。</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="157" />
        <source>No image</source>
        <translation>画像なし</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="162" />
        <source>Image %1 of %2 - %3</source>
        <translation>%2 枚中 %1 枚目 - %3</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="165" />
        <source> - window %1</source>
        <translation> - ウィンドウ %1</translation>
    </message>
    <message>
        <location filename="../../ui/slice_viewer.cpp" line="167" />
        <source> - cannot be shown</source>
        <translation> - 表示できません</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::StartWindow</name>
    <message>
        <location filename="../../ui/start_window.cpp" line="42" />
        <source>Label CT slices while a model learns from them.</source>
        <translation>モデルに学習させながら CT 画像にラベルを付けます。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="45" />
        <source>Recent projects:</source>
        <translation>最近のプロジェクト:</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="54" />
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="55" />
        <source>Forget missing</source>
        <translation>見つからないものを一覧から削除</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="62" />
        <source>New project…</source>
        <translation>新しいプロジェクト…</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="63" />
        <source>Open folder…</source>
        <translation>フォルダーを開く…</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="64" />
        <source>Open the demo project</source>
        <translation>デモプロジェクトを開く</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="65" />
        <source>Settings…</source>
        <translation>設定…</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="80" />
        <source>Open a project folder</source>
        <translation>プロジェクトフォルダーを開く</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="104" />
        <source>%1 (missing)</source>
        <translation>%1 (見つかりません)</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="108" />
        <source>This folder no longer holds the project: it was moved, deleted or is on a disk that is not connected.</source>
        <translation>このフォルダーにはもうプロジェクトがありません。移動・削除されたか、接続されていないディスク上にあります。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="114" />
        <source>No recent projects yet: make one with New project…, or try the demo project.</source>
        <translation>最近のプロジェクトはまだありません。「新しいプロジェクト…」で作成するか、デモプロジェクトを試してください。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="119" />
        <source>1 recent project is missing (moved or deleted); it is shown greyed.</source>
        <translation>最近のプロジェクトのうち 1 件が見つかりません (移動または削除)。灰色で表示しています。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="120" />
        <source>%1 recent projects are missing (moved or deleted); they are shown greyed.</source>
        <translation>最近のプロジェクトのうち %1 件が見つかりません (移動または削除)。灰色で表示しています。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="153" />
        <source>'%1' no longer holds a camlabel project: it was moved or deleted.</source>
        <translation>'%1' にはもう camlabel プロジェクトがありません。移動または削除されました。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="162" />
        <source>'%1' is not a camlabel project (it has no project.sqlite). To label the images in it, make a project with New project… and choose it as the image folder.</source>
        <translation>'%1' は camlabel プロジェクトではありません (project.sqlite がありません)。中の画像にラベルを付けるには、「新しいプロジェクト…」でプロジェクトを作成し、このフォルダーを画像フォルダーに選んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="179" />
        <source>The demo folder '%1' holds other files; empty or remove it to make the demo project there.</source>
        <translation>デモ用フォルダー '%1' に別のファイルがあります。デモプロジェクトを作成するには、空にするか削除してください。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="189" />
        <source>Creating the demo project</source>
        <translation>デモプロジェクトを作成しています</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="195" />
        <source>The demo project was not made (cancelled).</source>
        <translation>デモプロジェクトは作成されませんでした (中止)。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="197" />
        <source>The demo project could not be made: %1</source>
        <translation>デモプロジェクトを作成できませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="225" />
        <source>Removed 1 missing project from the list.</source>
        <translation>見つからないプロジェクト 1 件を一覧から削除しました。</translation>
    </message>
    <message>
        <location filename="../../ui/start_window.cpp" line="226" />
        <source>Removed %1 missing projects from the list.</source>
        <translation>見つからないプロジェクト %1 件を一覧から削除しました。</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::TableDialogBase</name>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="267" />
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="269" />
        <source>Copy CSV</source>
        <translation>CSV をコピー</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="270" />
        <source>Save CSV…</source>
        <translation>CSV を保存…</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="271" />
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="283" />
        <source>Save CSV</source>
        <translation>CSV を保存</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="283" />
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="303" />
        <source>Saved %1</source>
        <translation>%1 を保存しました</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::TrainingPanel</name>
    <message>
        <location filename="../../ui/training_panel.cpp" line="34" />
        <source>Learning curve</source>
        <translation>学習曲線</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="36" />
        <source>prequential accuracy (last 50 labels)</source>
        <translation>逐次正解率 (直近 50 ラベル)</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="38" />
        <source>mean loss per version</source>
        <translation>版ごとの平均損失</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="42" />
        <source>labels</source>
        <translation>ラベル数</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="46" />
        <source>accuracy</source>
        <translation>正解率</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="48" />
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="64" />
        <source>Model versions</source>
        <translation>モデルの版</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="67" />
        <source>Make the selected version current (roll back)</source>
        <translation>選択した版を現行にする (ロールバック)</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="74" />
        <source>Change...</source>
        <translation>変更...</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="95" />
        <source>Prequential accuracy: %1 over the last %2 labels, %3 overall (%4 labels with a prediction).</source>
        <translation>逐次正解率: 直近 %2 ラベルで %1、全体で %3 (予測付きラベル %4 件)。</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="102" />
        <source>No label with a prediction yet.</source>
        <translation>予測付きのラベルはまだありません。</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="114" />
        <source>v%1: %2 labels, %3</source>
        <translation>v%1: ラベル %2 件、%3</translation>
    </message>
    <message>
        <location filename="../../ui/training_panel.cpp" line="118" />
        <source> (current)</source>
        <translation> (現行)</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::TrustDialogBase</name>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="70" />
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="98" />
        <source>Cancelled.</source>
        <translation>キャンセルしました。</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="135" />
        <source>Cancelling…</source>
        <translation>キャンセルしています…</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="216" />
        <source>There is no model to explain with.</source>
        <translation>説明に使えるモデルがありません。</translation>
    </message>
    <message>
        <location filename="../../ui/trust_dialogs.cpp" line="246" />
        <source>Working…</source>
        <translation>処理中…</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::WeightsDialog</name>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="86" />
        <source>Model weights</source>
        <translation>モデルの重み</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="89" />
        <source>camlabel starts from ImageNet's ResNet50 weights, a file published by torchvision. Download it once (about 98 MB), or choose a copy you already have.</source>
        <translation>camlabel は torchvision が公開している ImageNet の ResNet50 の重みファイルから始めます。一度だけダウンロードする (約 98 MB) か、お手元のコピーを選んでください。</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="96" />
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="96" />
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="96" />
        <source>Description</source>
        <translation>説明</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="107" />
        <source>Weights folder: %1</source>
        <translation>重みフォルダー: %1</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="115" />
        <source>Download</source>
        <translation>ダウンロード</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="117" />
        <source>Cancel download</source>
        <translation>ダウンロードを中止</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="120" />
        <source>Choose file…</source>
        <translation>ファイルを選択…</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="135" />
        <source>Use selected</source>
        <translation>選択したものを使う</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="158" />
        <source>%1 of %2 MB</source>
        <translation>%1 / %2 MB</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="169" />
        <source>Downloaded and verified: %1</source>
        <translation>ダウンロードして検証しました: %1</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="173" />
        <source>Download cancelled.</source>
        <translation>ダウンロードを中止しました。</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="208" />
        <source>Present</source>
        <translation>あり</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="208" />
        <source>Missing</source>
        <translation>なし</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="234" />
        <source>Downloading %1 …</source>
        <translation>%1 をダウンロードしています…</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="244" />
        <source>Choose ResNet50 weights</source>
        <translation>ResNet50 の重みを選択</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="245" />
        <source>PyTorch weights (*.pth *.pt);;All files (*)</source>
        <translation>PyTorch の重み (*.pth *.pt);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../../ui/weights_dialog.cpp" line="276" />
        <source>The damaged file was removed; download it again.</source>
        <translation>破損したファイルを削除しました。もう一度ダウンロードしてください。</translation>
    </message>
</context>
<context>
    <name>camlabel::ui::WeightsDownloader</name>
    <message>
        <location filename="../../ui/weights_download.cpp" line="77" />
        <source>Cannot check the file at %1: its name does not carry the beginning of its SHA-256 (as in resnet50-11ad3fa6.pth), so it is not downloaded.</source>
        <translation>%1 のファイルを検証できません: ファイル名に SHA-256 の先頭部分 (resnet50-11ad3fa6.pth のような) が含まれていないため、ダウンロードしません。</translation>
    </message>
    <message>
        <location filename="../../ui/weights_download.cpp" line="88" />
        <source>Cannot create the folder %1: %2.</source>
        <translation>フォルダー %1 を作成できません: %2。</translation>
    </message>
    <message>
        <location filename="../../ui/weights_download.cpp" line="95" />
        <location filename="../../ui/weights_download.cpp" line="124" />
        <location filename="../../ui/weights_download.cpp" line="161" />
        <location filename="../../ui/weights_download.cpp" line="169" />
        <source>Cannot write %1: %2.</source>
        <translation>%1 に書き込めません: %2。</translation>
    </message>
    <message>
        <location filename="../../ui/weights_download.cpp" line="151" />
        <source>The file downloaded from %1 is damaged or not the expected one: its SHA-256 is %2, but its name says it begins with %3. It was deleted; try again.</source>
        <translation>%1 からダウンロードしたファイルは破損しているか、想定と異なるファイルです: SHA-256 は %2 ですが、ファイル名によれば %3 で始まるはずです。ファイルは削除しました。もう一度お試しください。</translation>
    </message>
    <message>
        <location filename="../../ui/weights_download.cpp" line="201" />
        <source>The server answered "%1 %2" for %3: the file is not available there.</source>
        <translation>サーバーは %3 に対して「%1 %2」と応答しました: ファイルはそこにありません。</translation>
    </message>
    <message>
        <location filename="../../ui/weights_download.cpp" line="206" />
        <source>no data arrived for %1 s</source>
        <translation>%1 秒間データが届きませんでした</translation>
    </message>
    <message>
        <location filename="../../ui/weights_download.cpp" line="208" />
        <source>Cannot download %1 (%2).
Without internet access, download that address on another computer and put the file in this folder:
%3</source>
        <translation>%1 をダウンロードできません (%2)。
インターネットに接続できない場合は、別のコンピューターでこのアドレスからダウンロードし、ファイルを次のフォルダーに置いてください:
%3</translation>
    </message>
    <message>
        <location filename="../../ui/weights_download.cpp" line="212" />
        <source>Downloading %1 failed: %2.</source>
        <translation>%1 のダウンロードに失敗しました: %2。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../app/gui_main.cpp" line="62" />
        <source>Label CT slices while a model learns from them.</source>
        <translation>モデルに学習させながら CT 画像にラベルを付けます。</translation>
    </message>
    <message>
        <location filename="../../app/gui_main.cpp" line="67" />
        <source>Render the window to a PNG file and exit (for a project: once the first image and its prediction are shown).</source>
        <translation>ウィンドウを PNG ファイルに描画して終了します (プロジェクトでは最初の画像と予測の表示後)。</translation>
    </message>
    <message>
        <location filename="../../app/gui_main.cpp" line="75" />
        <source>With --screenshot on a project: labelling (default), overlay, compare, training, help, agreement (the Reader agreement dialog) or disagreements (a team project's Disagreements dialog); without one: new-project-pacs (the new-project wizard, slices from a PACS).</source>
        <translation>プロジェクトに --screenshot を付けたとき: labelling (既定)、overlay、compare、training、help、agreement (読影者間の一致のダイアログ)、disagreements (チームプロジェクトの不一致のダイアログ)。プロジェクトなし: new-project-pacs (新規プロジェクトウィザード、PACS からのスライス)。</translation>
    </message>
    <message>
        <location filename="../../app/gui_main.cpp" line="86" />
        <source>resnet50 (default) or tiny.</source>
        <translation>resnet50 (既定) または tiny。</translation>
    </message>
    <message>
        <location filename="../../app/gui_main.cpp" line="95" />
        <source>User interface language: en or ja (default: as chosen in Settings, else the system's).</source>
        <translation>表示言語: en または ja (既定: 設定で選んだ言語、未設定ならシステムの言語)。</translation>
    </message>
    <message>
        <location filename="../../app/gui_main.cpp" line="105" />
        <source>A project folder (holding project.sqlite) to label, or images or folders of images to show.</source>
        <translation>ラベルを付けるプロジェクトフォルダ (project.sqlite を含む)、または表示する画像や画像フォルダ。</translation>
    </message>
</context>
</TS>