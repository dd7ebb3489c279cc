<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>camlabel::ui::AdjudicationDialog</name>
    <message numerus="yes">
        <location filename="../../ui/adjudication_dialog.cpp" line="118" />
        <source>Left out until you have given your reading (blinded double reading): %n slice(s).</source>
        <translation><numerusform>Left out until you have given your reading (blinded double reading): %n slice.</numerusform><numerusform>Left out until you have given your reading (blinded double reading): %n slices.</numerusform></translation>
    </message>
</context>
<context>
    <name>camlabel::ui::LocalisationDialog</name>
    <message numerus="yes">
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="308" />
        <source>Scored %n image(s) with a lesion mask; rows left out: %1.</source>
        <translation><numerusform>Scored %n image with a lesion mask; rows left out: %1.</numerusform><numerusform>Scored %n images with a lesion mask; rows left out: %1.</numerusform></translation>
    </message>
</context>
<context>
    <name>camlabel::ui::PositionBiasDialog</name>
    <message numerus="yes">
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="343" />
        <source>%n labelled image(s)</source>
        <translation><numerusform>%n labelled image</numerusform><numerusform>%n labelled images</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/heatmap_placement_dialogs.cpp" line="481" />
        <source>Explained %n image(s) with %1; %2 left out.</source>
        <translation><numerusform>Explained %n image with %1; %2 left out.</numerusform><numerusform>Explained %n images with %1; %2 left out.</numerusform></translation>
    </message>
</context>
<context>
    <name>camlabel::ui::ProjectWizard</name>
    <message numerus="yes">
        <location filename="../../ui/project_wizard.cpp" line="361" />
        <source>(%n image(s))</source>
        <translation><numerusform>(%n image)</numerusform><numerusform>(%n images)</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/project_wizard.cpp" line="367" />
        <source>%n CT series found: the ticked ones are retrieved.</source>
        <translation><numerusform>%n CT series found: the ticked ones are retrieved.</numerusform><numerusform>%n CT series found: the ticked ones are retrieved.</numerusform></translation>
    </message>
</context>
</TS>